import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededWarehouse, seededWarehouse } from "../testing/seeded-warehouse.js";

let wh: SeededWarehouse;
beforeAll(async () => {
  wh = await seededWarehouse();
});
afterAll(() => wh.close());

describe("inventory_valuation", () => {
  it("values on-hand and reserved stock at the products' standard cost, per location too", async () => {
    const cost = new Map(wh.world.products().map((p) => [p.sku, p.unit_cost_minor]));
    const stock = [...wh.world.warehouse.stock()];
    const answer = await wh.ask<{
      totals: { units: number; value_usd_minor: number; reserved_value_usd_minor: number };
      by_location: Array<{ location_id: string; value_usd_minor: number }>;
      top_skus: Array<{ value_usd_minor: number }>;
    }>("inventory_valuation", {});
    expect(answer.totals).toMatchObject({
      units: stock.reduce((n, s) => n + s.on_hand, 0),
      value_usd_minor: stock.reduce((n, s) => n + s.on_hand * cost.get(s.sku)!, 0),
      reserved_value_usd_minor: stock.reduce((n, s) => n + s.reserved * cost.get(s.sku)!, 0),
    });
    expect(answer.by_location.reduce((n, l) => n + l.value_usd_minor, 0)).toBe(answer.totals.value_usd_minor);
    const values = answer.top_skus.map((s) => s.value_usd_minor);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });
});

/** The answer as the tool computed it before the rollups: straight from the joined stock rows. */
async function fromScratch(args: { location_id?: string; category?: string; limit?: number }) {
  let where = "FROM wh_stock s JOIN wh_items i ON i.sku = s.sku WHERE s.on_hand > 0";
  const params: string[] = [];
  if (args.location_id) {
    where += " AND s.location_id = ?";
    params.push(args.location_id);
  }
  if (args.category) {
    where += " AND i.category = ?";
    params.push(args.category);
  }
  const totals = await wh.store.first(
    `SELECT COUNT(DISTINCT s.sku) AS distinct_skus, COALESCE(SUM(s.on_hand), 0) AS units,
       COALESCE(SUM(s.on_hand * i.unit_cost_minor), 0) AS value_usd_minor, COALESCE(SUM(s.reserved), 0) AS reserved_units,
       COALESCE(SUM(s.reserved * i.unit_cost_minor), 0) AS reserved_value_usd_minor ${where}`,
    params,
  );
  const byLocation = await wh.store.all(
    `SELECT s.location_id, SUM(s.on_hand) AS units, SUM(s.on_hand * i.unit_cost_minor) AS value_usd_minor
     ${where} GROUP BY s.location_id ORDER BY s.location_id`,
    params,
  );
  const byCategory = await wh.store.all(
    `SELECT i.category, SUM(s.on_hand) AS units, SUM(s.on_hand * i.unit_cost_minor) AS value_usd_minor
     ${where} GROUP BY i.category ORDER BY value_usd_minor DESC, i.category`,
    params,
  );
  const top = await wh.store.all(
    `SELECT s.sku, i.name, SUM(s.on_hand) AS units, i.unit_cost_minor AS unit_cost_usd_minor,
       SUM(s.on_hand * i.unit_cost_minor) AS value_usd_minor
     ${where} GROUP BY s.sku, i.name, i.unit_cost_minor ORDER BY value_usd_minor DESC, s.sku LIMIT ?`,
    [...params, args.limit ?? 10],
  );
  return { totals, by_location: byLocation, by_category: byCategory, top_skus: top };
}

describe("inventory_valuation read from its rollups", () => {
  const cases = [
    {},
    { location_id: "WH-01", limit: 3 },
    { category: "Pumps" },
    { location_id: "WH-02", category: "Pumps" },
  ];

  it("answers exactly what the stock rows give, for every filter, after stock and cost writes too", async () => {
    const check = async () => {
      for (const args of cases) {
        const answer = await wh.ask<Record<string, unknown>>("inventory_valuation", args);
        const { next_cursor: _, as_of: __, reporting_currency: ___, ...figures } = answer;
        expect(figures, JSON.stringify(args)).toEqual(await fromScratch(args));
      }
    };
    await check();
    const [first, second] = await wh.store.all<{ sku: string; location_id: string }>(
      "SELECT sku, location_id FROM wh_stock WHERE on_hand > 0 ORDER BY sku, location_id LIMIT 2",
    );
    await wh.store.run("UPDATE wh_stock SET on_hand = on_hand + 500 WHERE sku = ? AND location_id = ?", [
      first!.sku,
      first!.location_id,
    ]);
    await wh.store.run("UPDATE wh_stock SET reserved = 0, on_hand = 0 WHERE sku = ? AND location_id = ?", [
      second!.sku,
      second!.location_id,
    ]);
    await wh.store.run(
      "UPDATE wh_items SET unit_cost_minor = unit_cost_minor * 3, category = 'Pumps' WHERE sku = ?",
      [first!.sku],
    );
    await check();
  });
});

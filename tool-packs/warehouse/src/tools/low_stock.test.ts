import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BELOW_REORDER_POINT, suggestedQuantity } from "../reorder-suggestion.js";
import { type SeededWarehouse, seededWarehouse } from "../testing/seeded-warehouse.js";

let wh: SeededWarehouse;
beforeAll(async () => {
  wh = await seededWarehouse();
});
afterAll(() => wh.close());

interface Answer {
  totals: {
    below_reorder_point: number;
    out_of_stock: number;
    skus_affected: number;
    suggested_units: number;
  };
  alerts: Array<{
    sku: string;
    location_id: string;
    available: number;
    reorder_point: number;
    suggested_quantity: number;
  }>;
  next_cursor: string | null;
}

describe("low_stock", () => {
  it("counts rows below their reorder point and sums suggested quantities like the world", async () => {
    const since = new Date(Date.parse(wh.world.asOf) - 89 * 86_400_000).toISOString().slice(0, 10);
    const issued = new Map<string, number>();
    for (const m of wh.world.warehouse.movements()) {
      if (m.kind !== "issue" || m.occurred_at < since) continue;
      const key = `${m.sku}@${m.location_id}`;
      issued.set(key, (issued.get(key) ?? 0) - m.quantity);
    }
    const low = [...wh.world.warehouse.stock()].filter((s) => s.on_hand - s.reserved < s.reorder_point);
    const answer = await wh.ask<Answer>("low_stock", { limit: 20 });
    expect(answer.totals).toEqual({
      below_reorder_point: low.length,
      out_of_stock: low.filter((s) => s.on_hand - s.reserved <= 0).length,
      skus_affected: new Set(low.map((s) => s.sku)).size,
      suggested_units: low.reduce(
        (n, s) =>
          n +
          suggestedQuantity(
            s.on_hand - s.reserved,
            s.reorder_point,
            issued.get(`${s.sku}@${s.location_id}`) ?? 0,
          ),
        0,
      ),
    });
    const gaps = answer.alerts.map((a) => a.available - a.reorder_point);
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
  });

  it("pages through every alert once", async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let total = 0;
    do {
      const page: Answer = await wh.ask<Answer>("low_stock", { limit: 7, ...(cursor ? { cursor } : {}) });
      total = page.totals.below_reorder_point;
      for (const a of page.alerts) seen.add(`${a.sku}@${a.location_id}`);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.size).toBe(total);
  });

  it("suggests at least ten units, enough for the reorder point plus a month of usage", () => {
    expect(suggestedQuantity(0, 5, 0)).toBe(10);
    expect(suggestedQuantity(3, 40, 90)).toBe(70); // 40 + 30 - 3 = 67 -> 70
    expect(suggestedQuantity(0, 100, 91)).toBe(140); // 100 + ceil(30.33) = 131 -> 140
  });
});

describe("low_stock's reads", () => {
  // SQLite uses a partial index only for a WHERE term written exactly as its predicate: a
  // rewording of the condition would silently scan every stock row again.
  it.skipIf(wh?.store.dialect === "postgres" || process.env.TOOLPACKS_TEST_STORE === "postgres")(
    "read only the stock rows below their reorder point (the partial index wh_stock_below)",
    async () => {
      const plan = await wh.store.all<{ detail: string }>(
        `EXPLAIN QUERY PLAN SELECT location_id, COUNT(*) FROM wh_stock WHERE ${BELOW_REORDER_POINT} GROUP BY location_id`,
      );
      expect(plan.map((p) => p.detail).join("\n")).toContain("COVERING INDEX wh_stock_below");
    },
  );
});

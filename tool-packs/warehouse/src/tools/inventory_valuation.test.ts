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

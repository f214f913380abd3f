import { toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeAll(async () => {
  erp = await seededErp();
});
afterAll(() => erp.close());

interface Item {
  sku: string;
  units: number;
  revenue_usd_minor: number;
  cost_usd_minor: number;
  margin_usd_minor: number;
  margin_pct: number | null;
}
interface Answer {
  period: { from: string; to: string };
  totals: { items_sold: number; units: number; revenue_usd_minor: number; cost_usd_minor: number };
  items: Item[];
  next_cursor: string | null;
}

/** Revenue and cost per SKU of the orders booked between two dates, straight from the world. */
function expected(erp: SeededErp, from: string, to: string) {
  const cost = new Map([...erp.world.erp.items()].map((i) => [i.sku, i.unit_cost_minor]));
  const per = new Map<string, { units: number; revenue: number; cost: number }>();
  for (const { order, lines } of erp.world.erp.salesOrderBundles()) {
    if (order.order_date < from || order.order_date > to) continue;
    for (const l of lines) {
      const row = per.get(l.sku) ?? { units: 0, revenue: 0, cost: 0 };
      row.units += l.quantity;
      row.revenue += toReportingMinor(l.amount_minor, l.currency);
      row.cost += l.quantity * cost.get(l.sku)!;
      per.set(l.sku, row);
    }
  }
  return per;
}

describe("item_margins", () => {
  it("totals revenue, cost and units of a year's orders like the world", async () => {
    const answer = await erp.ask<Answer>("item_margins", { period: "2025-07-01..2026-06-30", limit: 15 });
    const per = expected(erp, "2025-07-01", "2026-06-30");
    const sum = (f: (r: { units: number; revenue: number; cost: number }) => number) =>
      [...per.values()].reduce((s, r) => s + f(r), 0);
    expect(answer.totals).toMatchObject({
      items_sold: per.size,
      units: sum((r) => r.units),
      revenue_usd_minor: sum((r) => r.revenue),
      cost_usd_minor: sum((r) => r.cost),
    });
    const best = [...per]
      .map(([sku, r]) => ({ sku, margin: r.revenue - r.cost }))
      .sort((a, b) => b.margin - a.margin || a.sku.localeCompare(b.sku));
    expect(answer.items.map((i) => i.sku)).toEqual(best.slice(0, 15).map((b) => b.sku));
  });

  it("shows named SKUs even without sales, and sorts worst margin first on request", async () => {
    const named = await erp.ask<Answer>("item_margins", {
      period: "2020-01",
      skus: ["SKU-00001", "SKU-00002"],
    });
    expect(named.items.map((i) => [i.sku, i.units, i.margin_pct])).toEqual([
      ["SKU-00001", 0, null],
      ["SKU-00002", 0, null],
    ]);
    const worst = await erp.ask<Answer>("item_margins", {
      period: "2025-07-01..2026-06-30",
      sort: "margin_pct_asc",
      limit: 5,
    });
    const pcts = worst.items.map((i) => i.margin_pct ?? 0);
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
  });

  it("rejects an impossible period with a fix", async () => {
    const error = await erp.fail("item_margins", { period: "2026-06-30..2026-01-01" });
    expect(error.code).toBe("invalid_period");
    expect(error.text).toContain("Fix:");
  });
});

import { type Currency, toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

// item_margins adds whole months from the item-month rollup and the ragged days at either end
// from the lines; these tests hold every kind of period to a GROUP BY of the lines booked in it.
let erp: SeededErp;
beforeAll(async () => {
  erp = await seededErp();
});
afterAll(() => erp.close());

interface Item {
  sku: string;
  name: string;
  units: number;
  revenue_usd_minor: number;
  cost_usd_minor: number;
  margin_usd_minor: number;
}
interface Answer {
  totals: { items_sold: number; units: number; revenue_usd_minor: number; cost_usd_minor: number };
  items: Item[];
}

/** What the answer must say for `from`..`to`, recomputed from the lines. */
async function recomputed(from: string, to: string) {
  const rows = await erp.store.all<{
    sku: string;
    currency: Currency;
    units: number;
    revenue: number;
    cost: number;
  }>(
    `SELECT sku, currency, SUM(quantity) AS units, SUM(amount_minor) AS revenue, SUM(cost_usd_minor) AS cost
     FROM erp_sales_order_lines WHERE order_date BETWEEN ? AND ? GROUP BY sku, currency`,
    [from, to],
  );
  const bySku = new Map<string, { units: number; revenue: number; cost: number }>();
  const byCurrency = new Map<Currency, number>();
  for (const r of rows) {
    const s = bySku.get(r.sku) ?? { units: 0, revenue: 0, cost: 0 };
    s.units += r.units;
    s.revenue += toReportingMinor(r.revenue, r.currency);
    s.cost += r.cost;
    bySku.set(r.sku, s);
    byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + r.revenue);
  }
  const items = [...bySku]
    .map(([sku, s]) => ({
      sku,
      units: s.units,
      revenue_usd_minor: s.revenue,
      cost_usd_minor: s.cost,
      margin_usd_minor: s.revenue - s.cost,
    }))
    .sort((a, b) => b.margin_usd_minor - a.margin_usd_minor || (a.sku < b.sku ? -1 : 1));
  return {
    totals: {
      items_sold: bySku.size,
      units: items.reduce((s, i) => s + i.units, 0),
      revenue_usd_minor: [...byCurrency].reduce((s, [c, v]) => s + toReportingMinor(v, c), 0),
      cost_usd_minor: items.reduce((s, i) => s + i.cost_usd_minor, 0),
    },
    items,
  };
}

describe("item_margins over whole months and ragged days", () => {
  it.each([
    ["2026-Q2", "2026-04-01", "2026-06-30"],
    ["2026-05", "2026-05-01", "2026-05-31"],
    ["2026-01-01..2026-03-31", "2026-01-01", "2026-03-31"],
    ["2026-03-17..2026-06-02", "2026-03-17", "2026-06-02"],
    ["2026-04-01..2026-05-20", "2026-04-01", "2026-05-20"],
    ["2026-02-11..2026-04-30", "2026-02-11", "2026-04-30"],
    ["2026-05-03..2026-05-29", "2026-05-03", "2026-05-29"],
    ["2025-07-01..2026-06-30", "2025-07-01", "2026-06-30"],
  ])("%s equals a GROUP BY of its lines, totals and ranking", async (period, from, to) => {
    const expected = await recomputed(from, to);
    expect(expected.totals.items_sold).toBeGreaterThan(0);
    const answer = await erp.ask<Answer>("item_margins", { period, limit: 15 });
    expect(answer.totals).toMatchObject(expected.totals);
    expect(
      answer.items.map(({ sku, units, revenue_usd_minor, cost_usd_minor, margin_usd_minor }) => ({
        sku,
        units,
        revenue_usd_minor,
        cost_usd_minor,
        margin_usd_minor,
      })),
    ).toEqual(expected.items.slice(0, 15));
    expect(answer.items.every((i) => i.name.length > 0)).toBe(true);
    // Page by page, by margin and by revenue: every SKU sold, in the exact order.
    const byMargin = await erp.pages<Item>("item_margins", { period, limit: 4 }, "items");
    expect(byMargin.map((i) => i.sku)).toEqual(expected.items.map((i) => i.sku));
    const byRevenue = await erp.pages<Item>(
      "item_margins",
      { period, sort: "revenue_usd_desc", limit: 3 },
      "items",
    );
    expect(byRevenue.map((i) => i.sku)).toEqual(
      [...expected.items]
        .sort((a, b) => b.revenue_usd_minor - a.revenue_usd_minor || (a.sku < b.sku ? -1 : 1))
        .map((i) => i.sku),
    );
  });

  it("ranks by the rounded USD figures even where the unrounded ones order the other way", async () => {
    // SKU-00001: EUR 4 + GBP 5 = 10.68 USD unrounded, 4 + 6 = 10 rounded per currency;
    // SKU-00002: EUR 6 + USD 4 = 10.52 unrounded, 7 + 4 = 11 rounded. A quarter with no other sale.
    await erp.store.run(
      `INSERT INTO erp_sales_orders (id, deal_id, customer_id, status, order_date, currency, total_minor, total_usd_minor, cost_usd_minor)
       VALUES ('SO-R1', 'D-R1', 'C-000001', 'draft', '2027-02-10', 'USD', 0, 0, 0)`,
    );
    const lines: Array<[string, string, number]> = [
      ["SKU-00001", "EUR", 4],
      ["SKU-00001", "GBP", 5],
      ["SKU-00002", "EUR", 6],
      ["SKU-00002", "USD", 4],
    ];
    for (const [n, [sku, currency, amount]] of lines.entries()) {
      await erp.store.run(
        `INSERT INTO erp_sales_order_lines (id, order_id, line_no, order_date, sku, quantity, unit_price_minor, amount_minor, currency, amount_usd_minor, cost_usd_minor)
         VALUES (?, 'SO-R1', ?, '2027-02-10', ?, 1, ?, ?, ?, 0, 0)`,
        [`SOL-R1-${n}`, n + 1, sku, amount, amount, currency],
      );
    }
    const first = await erp.ask<Answer & { next_cursor: string | null }>("item_margins", {
      period: "2027-Q1",
      limit: 1,
    });
    expect(first.items.map((i) => [i.sku, i.revenue_usd_minor])).toEqual([["SKU-00002", 11]]);
    // The total converts each currency's grand total once: EUR 10 -> 11, GBP 5 -> 6, USD 4.
    expect(first.totals).toMatchObject({ items_sold: 2, revenue_usd_minor: 21 });
    expect(first.next_cursor).not.toBeNull();
  });

  it("counts an order booked today at once, in its month", async () => {
    const before = await erp.ask<Answer>("item_margins", { period: "2026-06" });
    await erp.ask("create_sales_order", {
      deal_id: "D-0000069",
      account_id: "C-000001",
      currency: "USD",
      lines: [{ sku: "SKU-00001", quantity: 3, net_unit_price_minor: 39_500 }],
    });
    const after = await erp.ask<Answer>("item_margins", { period: "2026-06" });
    expect(after.totals.units).toBe(before.totals.units + 3);
    expect(after.totals.revenue_usd_minor).toBe(before.totals.revenue_usd_minor + 3 * 39_500);
  });
});

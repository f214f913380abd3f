import { type Currency, toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

// open_orders and order_to_cash_by_customer read their rankings and totals from the per-customer
// rollup; these tests hold them to what a GROUP BY of the open orders gives, with drafts and
// confirmed orders of several customers and a shipment that takes a customer out.
let erp: SeededErp;
beforeAll(async () => {
  erp = await seededErp();
  const deals = await erp.store.all<{ id: string; account_id: string; currency: Currency }>(
    `SELECT id, account_id, currency FROM erp_deals d
     WHERE NOT EXISTS (SELECT 1 FROM erp_sales_orders o WHERE o.deal_id = d.id) ORDER BY id LIMIT 6`,
  );
  for (const [n, deal] of deals.entries()) {
    const lines = [{ sku: "SKU-00001", quantity: n + 1, net_unit_price_minor: 100_000 * (n + 1) }];
    await erp.ask("create_sales_order", {
      deal_id: deal.id,
      account_id: deal.account_id,
      currency: deal.currency,
      lines,
    });
    if (n % 2 === 1) await erp.ask("confirm_sales_order", { order_id: `SO-${deal.id.slice(2)}` });
  }
  const confirmed = await erp.store.first<{ id: string }>(
    "SELECT id FROM erp_sales_orders WHERE status = 'confirmed' ORDER BY id LIMIT 1",
  );
  await erp.ask("record_shipment", { order_id: confirmed!.id });
  // Two confirmed orders past their planned ship date (the test world has none late as of its date).
  await erp.store.run(
    `UPDATE erp_sales_orders SET ship_date = '2026-01-15' WHERE id IN
       (SELECT id FROM erp_sales_orders WHERE status = 'confirmed' ORDER BY id LIMIT 2)`,
  );
});

/** Confirmed orders past their planned ship date, counted from the rows. */
async function lateOrders(): Promise<number> {
  const late = await erp.store.first<{ n: number }>(
    "SELECT COUNT(*) AS n FROM erp_sales_orders WHERE status = 'confirmed' AND ship_date < ?",
    [erp.world.asOf],
  );
  return late!.n;
}
afterAll(() => erp.close());

interface Ranked {
  customer_id: string;
  name: string;
  currency: Currency;
  orders: number;
  amount: number;
  credit_limit_minor: number;
}

/** Open orders per customer of `statuses`, ranked by USD amount then id: the rows' GROUP BY. */
function recomputed(statuses: string[]): Promise<Ranked[]> {
  return erp.store.all<Ranked>(
    `SELECT o.customer_id, c.name, c.currency, c.credit_limit_minor, COUNT(*) AS orders, SUM(o.total_minor) AS amount
     FROM erp_sales_orders o JOIN erp_customers c ON c.id = o.customer_id
     WHERE o.status IN (${statuses.map((s) => `'${s}'`).join(", ")})
     GROUP BY o.customer_id, c.name, c.currency, c.credit_limit_minor ORDER BY SUM(o.total_usd_minor) DESC, o.customer_id`,
  );
}

describe("open-order answers read from the rollups", () => {
  it.each([
    [undefined, ["draft", "confirmed"]],
    ["draft", ["draft"]],
    ["confirmed", ["confirmed"]],
  ] as const)(
    "open_orders' top customers (status %s) are the top 5 of the open orders' GROUP BY",
    async (status, statuses) => {
      const expected = (await recomputed([...statuses]))
        .slice(0, 5)
        .map((r) => ({
          customer_id: r.customer_id,
          name: r.name,
          orders: r.orders,
          amount_usd_minor: toReportingMinor(r.amount, r.currency),
        }))
        .sort(
          (a, b) => b.amount_usd_minor - a.amount_usd_minor || a.customer_id.localeCompare(b.customer_id),
        );
      expect(expected.length).toBeGreaterThan(0);
      const answer = await erp.ask<{ top_customers: unknown[] }>("open_orders", status ? { status } : {});
      expect(answer.top_customers).toEqual(expected);
    },
  );

  it("counts the late orders in both answers", async () => {
    const late = await lateOrders();
    expect(late).toBe(2);
    const open = await erp.ask<{ totals: { late_orders: number } }>("open_orders", {});
    expect(open.totals.late_orders).toBe(late);
  });

  it("open_orders lists only the late orders, oldest first, with late_only", async () => {
    const expected = await erp.store.all<{ id: string }>(
      "SELECT id FROM erp_sales_orders WHERE status = 'confirmed' AND ship_date < ? ORDER BY order_date, id",
      [erp.world.asOf],
    );
    const seen = await erp.pages<{ id: string; late: boolean }>(
      "open_orders",
      { late_only: true, limit: 1 },
      "orders",
    );
    expect(seen.map((o) => o.id)).toEqual(expected.map((o) => o.id));
    expect(seen.every((o) => o.late)).toBe(true);
  });

  it("open_orders pages every open order oldest first, both statuses interleaved", async () => {
    const expected = await erp.store.all<{ id: string }>(
      "SELECT id FROM erp_sales_orders WHERE status IN ('draft', 'confirmed') ORDER BY order_date, id",
    );
    const seen = await erp.pages<{ id: string }>("open_orders", { limit: 3 }, "orders");
    expect(seen.map((o) => o.id)).toEqual(expected.map((o) => o.id));
  });

  it("order_to_cash_by_customer ranks and totals every customer with open orders as the GROUP BY does", async () => {
    const ranked = await recomputed(["draft", "confirmed"]);
    const seen = await erp.pages<{ customer_id: string }>(
      "order_to_cash_by_customer",
      { limit: 4 },
      "customers",
    );
    expect(seen.map((c) => c.customer_id)).toEqual(ranked.map((r) => r.customer_id));
    const byCurrency = new Map<Currency, number>();
    for (const r of ranked) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + r.amount);
    const answer = await erp.ask<{ totals: unknown }>("order_to_cash_by_customer", {});
    expect(answer.totals).toEqual({
      customers_with_open_orders: ranked.length,
      open_orders: ranked.reduce((s, r) => s + r.orders, 0),
      open_amount_usd_minor: [...byCurrency].reduce((s, [c, a]) => s + toReportingMinor(a, c), 0),
      late_orders: await lateOrders(),
      customers_over_credit_limit: ranked.filter((r) => r.amount > r.credit_limit_minor).length,
    });
    const one = ranked[0]!;
    const mine = await erp.ask<{ totals: unknown }>("order_to_cash_by_customer", {
      customer_id: one.customer_id,
    });
    expect(mine.totals).toMatchObject({
      customers_with_open_orders: 1,
      open_orders: one.orders,
      open_amount_usd_minor: toReportingMinor(one.amount, one.currency),
      customers_over_credit_limit: one.amount > one.credit_limit_minor ? 1 : 0,
    });
  });
});

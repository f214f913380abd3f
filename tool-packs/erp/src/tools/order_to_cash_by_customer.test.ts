import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupBy, type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeAll(async () => {
  erp = await seededErp();
});
afterAll(() => erp.close());

interface Customer {
  customer_id: string;
  confirmed: { orders: number; amount_minor: number };
  shipped_90d: { orders: number; amount_minor: number };
  late_orders: number;
  last_ship_date: string | null;
  credit_limit_minor: number;
  credit_headroom_minor: number;
}
interface Answer {
  totals: { customers_with_open_orders: number; open_orders: number };
  customers: Customer[];
  next_cursor: string | null;
}

const daysBefore = (iso: string, days: number) =>
  new Date(Date.parse(iso) - days * 86_400_000).toISOString().slice(0, 10);

describe("order_to_cash_by_customer", () => {
  it("matches one customer's orders in the world, figure by figure", async () => {
    const orders = [...erp.world.erp.salesOrders()];
    const busiest = [...groupBy(orders, (o) => o.customer_id)].sort((a, b) => b[1].length - a[1].length)[0]!;
    const [id, mine] = busiest;
    const since = daysBefore(erp.world.asOf, 90);
    const open = mine.filter((o) => o.status === "confirmed");
    const shipped = mine.filter((o) => o.status === "shipped" && o.ship_date > since);
    const limit = [...erp.world.erp.customers()].find((c) => c.id === id)!.credit_limit_minor;
    const answer = await erp.ask<Answer>("order_to_cash_by_customer", { customer_id: id });
    expect(answer.customers).toHaveLength(1);
    expect(answer.customers[0]).toMatchObject({
      customer_id: id,
      confirmed: { orders: open.length, amount_minor: open.reduce((s, o) => s + o.total_minor, 0) },
      shipped_90d: { orders: shipped.length, amount_minor: shipped.reduce((s, o) => s + o.total_minor, 0) },
      late_orders: open.filter((o) => o.ship_date < erp.world.asOf).length,
      last_ship_date:
        mine
          .filter((o) => o.status === "shipped")
          .map((o) => o.ship_date)
          .sort()
          .at(-1) ?? null,
      credit_headroom_minor: limit - open.reduce((s, o) => s + o.total_minor, 0),
    });
  });

  it("ranks customers with open orders and pages through all of them", async () => {
    const withOpen = new Set(
      [...erp.world.erp.salesOrders()].filter((o) => o.status === "confirmed").map((o) => o.customer_id),
    );
    const first = await erp.ask<Answer>("order_to_cash_by_customer", { limit: 1 });
    expect(first.totals.customers_with_open_orders).toBe(withOpen.size);
    const seen = [...first.customers];
    let cursor = first.next_cursor;
    while (cursor) {
      const page: Answer = await erp.ask<Answer>("order_to_cash_by_customer", { limit: 1, cursor });
      seen.push(...page.customers);
      cursor = page.next_cursor;
    }
    expect(new Set(seen.map((c) => c.customer_id))).toEqual(withOpen);
  });

  it("says how to find a customer id when it does not exist", async () => {
    const error = await erp.fail("order_to_cash_by_customer", { customer_id: "C-999999" });
    expect(error.code).toBe("not_found");
    expect(error.text).toContain("account_id");
  });
});

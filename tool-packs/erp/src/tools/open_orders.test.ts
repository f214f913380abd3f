import { toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededErp, seededErp } from "../testing/seeded-erp.js";

let erp: SeededErp;
beforeAll(async () => {
  erp = await seededErp();
});
afterAll(() => erp.close());

interface Answer {
  totals: { orders: number; amount_usd_minor: number; late_orders: number };
  by_status: Array<{ status: string; orders: number }>;
  top_customers: Array<{ customer_id: string; amount_usd_minor: number }>;
  orders: Array<{ id: string; status: string; order_date: string; late: boolean }>;
  next_cursor: string | null;
}

describe("open_orders", () => {
  it("totals the world's unshipped orders (confirmed here) in USD", async () => {
    const open = [...erp.world.erp.salesOrders()].filter((o) => o.status === "confirmed");
    const answer = await erp.ask<Answer>("open_orders", {});
    expect(answer.totals.orders).toBe(open.length);
    expect(answer.totals.amount_usd_minor).toBe(
      open.reduce((s, o) => s + toReportingMinor(o.total_minor, o.currency), 0),
    );
    expect(answer.totals.late_orders).toBe(open.filter((o) => o.ship_date < erp.world.asOf).length);
    expect(answer.by_status).toEqual(
      open.length ? [expect.objectContaining({ status: "confirmed", orders: open.length })] : [],
    );
  });

  it("pages through every open order oldest first without repeats", async () => {
    await erp.ask("create_sales_order", {
      deal_id: "D-0000096",
      account_id: "C-000002",
      currency: "USD",
      lines: [{ sku: "SKU-00003", quantity: 1, net_unit_price_minor: 100 }],
    });
    const seen: Answer["orders"] = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await erp.ask<Answer>("open_orders", { limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...page.orders);
      cursor = page.next_cursor;
    } while (cursor);
    const total = (await erp.ask<Answer>("open_orders", {})).totals.orders;
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((o) => o.id)).size).toBe(total);
    const dates = seen.map((o) => o.order_date);
    expect(dates).toEqual([...dates].sort());
    expect(seen.some((o) => o.status === "draft")).toBe(true);
  });

  it("filters drafts and rejects a cursor from other filters", async () => {
    const drafts = await erp.ask<Answer>("open_orders", { status: "draft" });
    expect(drafts.orders.every((o) => o.status === "draft")).toBe(true);
    const first = await erp.ask<Answer>("open_orders", { limit: 1 });
    const error = await erp.fail("open_orders", { status: "confirmed", limit: 1, cursor: first.next_cursor });
    expect(error.code).toBe("invalid_cursor");
  });
});

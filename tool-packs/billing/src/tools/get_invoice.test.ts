import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Invoice = {
  invoice: {
    id: string;
    sales_order_id: string | null;
    amount_minor: number;
    open_minor: number;
    status: string;
  };
  lines: { count: number; total_minor: number; items: Array<{ sku: string; quantity: number }> };
  payments: Array<{ id: string; amount_minor: number }>;
};

describe("get_invoice", () => {
  it("finds a shipped order's invoice by order id with the order's lines", async () => {
    const shipped = [...f.world.erp.salesOrderBundles()].find((b) => b.order.status === "shipped")!;
    const answer = await f.ask<Invoice>("get_invoice", { order_id: shipped.order.id });
    expect(answer.invoice).toMatchObject({
      sales_order_id: shipped.order.id,
      amount_minor: shipped.order.total_minor,
    });
    expect(answer.lines.items.map((l) => [l.sku, l.quantity])).toEqual(
      shipped.lines.map((l) => [l.sku, l.quantity]),
    );
    expect(answer.lines.total_minor).toBe(shipped.order.total_minor);
  });

  it("reports status and payments as the world has them", async () => {
    const world =
      [...f.world.billing.invoiceBundles()].find(
        (b) => b.payments.length > 0 && b.invoice.status !== "paid",
      ) ?? [...f.world.billing.invoiceBundles()].find((b) => b.payments.length > 0)!;
    const answer = await f.ask<Invoice>("get_invoice", { invoice_id: world.invoice.id });
    expect(answer.invoice.status).toBe(world.invoice.status);
    expect(answer.payments.map((p) => p.id)).toEqual(world.payments.map((p) => p.id));
  });

  it("needs exactly one of invoice_id and order_id", async () => {
    expect((await f.fail("get_invoice", {})).code).toBe("invalid_arguments");
    expect((await f.fail("get_invoice", { invoice_id: "INV-O0000001", order_id: "SO-0000001" })).code).toBe(
      "invalid_arguments",
    );
  });

  it("says when an order has no invoice yet and how to make one", async () => {
    const error = await f.fail("get_invoice", { order_id: "SO-7777777" });
    expect(error.code).toBe("not_found");
    expect(error.text).toMatch(/invoice_order/);
  });
});

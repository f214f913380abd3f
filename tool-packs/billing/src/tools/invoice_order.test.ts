import { connectPackClient, holdBatches } from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "../pack.js";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Invoiced = {
  invoice_id: string;
  total_minor: number;
  due_on: string;
  already_invoiced: boolean;
  matches_request: boolean;
  dry_run: boolean;
  changes: string[];
};

const count = async (sql: string, params: string[] = []) =>
  (await f.store.first<{ n: number }>(`SELECT COUNT(*) AS n ${sql}`, params))?.n ?? 0;

function order(orderId: string, overrides: Record<string, unknown> = {}) {
  const account = f.world.customers()[4]!;
  return {
    order_id: orderId,
    account_id: account.id,
    currency: account.currency,
    lines: [
      { sku: "SKU-00001", quantity: 3, net_unit_price_minor: 12_500 },
      { sku: "SKU-00002", quantity: 1, net_unit_price_minor: 999, amount_minor: 999 },
    ],
    total_minor: 38_499,
    ...overrides,
  };
}

describe("invoice_order", () => {
  it("invoices an order's lines once, due after the account's payment terms", async () => {
    const answer = await f.ask<Invoiced>("invoice_order", order("SO-9000001"), {
      "toolpacks.dev/idempotencyKey": "k-1",
    });
    expect(answer).toMatchObject({
      invoice_id: "INV-O9000001",
      total_minor: 38_499,
      already_invoiced: false,
      dry_run: false,
    });
    const terms = f.world.customers()[4]!.payment_terms_days;
    expect(Date.parse(answer.due_on) - Date.parse(f.world.asOf)).toBe(terms * 86_400_000);
    expect(await count("FROM billing_invoice_lines WHERE invoice_id = ?", ["INV-O9000001"])).toBe(2);
    const invoice = await f.ask<{ lines: { total_minor: number }; invoice: { status: string } }>(
      "get_invoice",
      { order_id: "SO-9000001" },
    );
    expect(invoice.lines.total_minor).toBe(38_499);
    expect(invoice.invoice.status).toBe("open");
  });

  it("returns the existing invoice with a flag on a second attempt, writing nothing", async () => {
    const before = await count("FROM billing_invoices");
    const again = await f.ask<Invoiced>("invoice_order", order("SO-9000001"), {
      "toolpacks.dev/idempotencyKey": "k-2",
    });
    expect(again).toMatchObject({
      invoice_id: "INV-O9000001",
      already_invoiced: true,
      matches_request: true,
      changes: [],
    });
    const different = await f.ask<Invoiced>(
      "invoice_order",
      order("SO-9000001", {
        lines: [{ sku: "SKU-00001", quantity: 1, net_unit_price_minor: 5 }],
        total_minor: 5,
      }),
    );
    expect(different).toMatchObject({ already_invoiced: true, matches_request: false, total_minor: 38_499 });
    expect(await count("FROM billing_invoices")).toBe(before);
  });

  it("recognises orders the world already invoiced when they shipped", async () => {
    const shipped = [...f.world.erp.salesOrderBundles()].find((b) => b.order.status === "shipped")!;
    const answer = await f.ask<Invoiced>("invoice_order", {
      order_id: shipped.order.id,
      account_id: shipped.order.customer_id,
      currency: shipped.order.currency,
      lines: shipped.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        net_unit_price_minor: l.unit_price_minor,
      })),
      total_minor: shipped.order.total_minor,
    });
    expect(answer).toMatchObject({
      already_invoiced: true,
      matches_request: true,
      total_minor: shipped.order.total_minor,
    });
  });

  it("refuses a total that is not the sum of the lines, naming both, and writes nothing", async () => {
    const before = await count("FROM billing_invoices");
    const error = await f.fail("invoice_order", order("SO-9000002", { total_minor: 38_500 }));
    expect(error.code).toBe("amount_mismatch");
    expect(error.text).toMatch(/38500.*38499/);
    expect(await count("FROM billing_invoices")).toBe(before);
  });

  it("refuses a line amount that is not quantity x unit price", async () => {
    const lines = [{ sku: "SKU-00001", quantity: 2, net_unit_price_minor: 100, amount_minor: 150 }];
    const error = await f.fail("invoice_order", order("SO-9000003", { lines, total_minor: 150 }));
    expect(error.code).toBe("amount_mismatch");
    expect(error.text).toMatch(/send amount_minor 200/);
  });

  it("refuses a currency other than the account's, saying which one to send", async () => {
    const account = f.world.customers()[4]!;
    const other = account.currency === "USD" ? "EUR" : "USD";
    const error = await f.fail("invoice_order", order("SO-9000004", { currency: other }));
    expect(error.code).toBe("currency_mismatch");
    expect(error.text).toContain(`"${account.currency}"`);
  });

  it("answers not_found for an unknown account and invalid_arguments for a malformed order id", async () => {
    expect((await f.fail("invoice_order", order("SO-9000005", { account_id: "C-999999" }))).code).toBe(
      "not_found",
    );
    for (const bad of ["", "-SO-1", "SO-1; DROP TABLE x", "SO\n1", "x".repeat(61)]) {
      expect((await f.fail("invoice_order", order(bad))).code).toBe("invalid_arguments");
    }
  });

  it("invoices an imported ERP's own order id (not SO-…) under INV-O-<id>, once", async () => {
    const answer = await f.ask<Invoiced>("invoice_order", order("S00042"));
    expect(answer).toMatchObject({ invoice_id: "INV-O-S00042", order_id: "S00042", already_invoiced: false });
    const again = await f.ask<Invoiced>("invoice_order", order("S00042"));
    expect(again).toMatchObject({ invoice_id: "INV-O-S00042", already_invoiced: true });
  });

  it("dry run reports the invoice it would create and writes nothing", async () => {
    const before = await count("FROM billing_invoices");
    const answer = await f.ask<Invoiced>("invoice_order", order("SO-9000006"), {
      "toolpacks.dev/dryRun": true,
    });
    expect(answer).toMatchObject({ dry_run: true, invoice_id: "INV-O9000006" });
    expect(answer.changes[0]).toMatch(/INV-O9000006/);
    expect(await count("FROM billing_invoices")).toBe(before);
  });

  it("answers every one of 100 concurrent calls with different keys with the order's one invoice", async () => {
    // Every call plans before any commits (what D1 or several instances allow), so 99 plans
    // insert an invoice the winner has just written; the kit plans those once more and they see it.
    const racing = await connectPackClient(pack, { store: holdBatches(f.store, 100), budget: "error" });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        racing.call("invoice_order", order("SO-9000007"), { "toolpacks.dev/idempotencyKey": `race-${i}` }),
      ),
    );
    await racing.close();
    expect(await count("FROM billing_invoices WHERE sales_order_id = ?", ["SO-9000007"])).toBe(1);
    expect(await count("FROM billing_invoice_lines WHERE invoice_id = ?", ["INV-O9000007"])).toBe(2);
    expect(results.filter((r) => r.isError).map((r) => r._meta?.["toolpacks.dev/errorCode"])).toEqual([]);
    const answered = results.map((r) => r.structuredContent as Invoiced);
    expect(answered.filter((a) => !a.already_invoiced)).toHaveLength(1);
    for (const a of answered) expect(a).toMatchObject({ invoice_id: "INV-O9000007", matches_request: true });
    const replay = await f.client.call("invoice_order", order("SO-9000007"), {
      "toolpacks.dev/idempotencyKey": "race-99",
    });
    expect(replay.structuredContent).toEqual(answered[99]);
  });
});

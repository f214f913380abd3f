import { connectPackClient, holdBatches } from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "../pack.js";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";
import { openInvoices, openOf } from "../testing/world-facts.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Paid = {
  payment_id: string;
  open_before_minor: number;
  open_after_minor: number;
  invoice_status: string;
};
type Row = { amount_paid_minor: number; settled_on: string | null };

const invoiceRow = (id: string) =>
  f.store.first<Row>("SELECT amount_paid_minor, settled_on FROM billing_invoices WHERE id = ?", [id]);
const payments = async (id: string) =>
  (
    await f.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM billing_payments WHERE invoice_id = ?", [
      id,
    ])
  )?.n ?? 0;

/** Open world invoices, largest first, so each test takes its own. */
const open = () => openInvoices(f.world).sort((a, b) => openOf(b) - openOf(a));

describe("record_payment", () => {
  it("reduces what the invoice owes and settles it when the rest arrives", async () => {
    const invoice = open()[0]!;
    const owed = openOf(invoice);
    const first = await f.ask<Paid>("record_payment", {
      invoice_id: invoice.id,
      amount_minor: 100,
      currency: invoice.currency,
    });
    expect(first).toMatchObject({ open_before_minor: owed, open_after_minor: owed - 100 });
    const rest = await f.ask<Paid>("record_payment", {
      invoice_id: invoice.id,
      amount_minor: owed - 100,
      currency: invoice.currency,
      method: "card",
    });
    expect(rest).toMatchObject({ open_after_minor: 0, invoice_status: "paid" });
    expect(rest.payment_id).not.toBe(first.payment_id);
    expect(await invoiceRow(invoice.id)).toMatchObject({ settled_on: f.world.asOf });
    const balance = await f.ask<{ oldest_open_invoices: Array<{ id: string }> }>("customer_balance", {
      account_id: invoice.account_id,
    });
    expect(balance.oldest_open_invoices.map((i) => i.id)).not.toContain(invoice.id);
  });

  it("refuses more than the invoice owes, quoting the open amount, and writes nothing", async () => {
    const invoice = open()[1]!;
    const owed = openOf(invoice);
    const before = await invoiceRow(invoice.id);
    const paymentsBefore = await payments(invoice.id);
    const error = await f.fail("record_payment", {
      invoice_id: invoice.id,
      amount_minor: owed + 1,
      currency: invoice.currency,
    });
    expect(error.code).toBe("overpayment");
    expect(error.text).toContain(`record at most amount_minor ${owed}`);
    expect(await invoiceRow(invoice.id)).toEqual(before);
    expect(await payments(invoice.id)).toBe(paymentsBefore);
  });

  it("refuses a payment on a settled invoice", async () => {
    const paid = [...f.world.billing.invoices()].find((i) => i.status === "paid")!;
    const error = await f.fail("record_payment", {
      invoice_id: paid.id,
      amount_minor: 1,
      currency: paid.currency,
    });
    expect(error.code).toBe("already_settled");
  });

  it("refuses a currency other than the invoice's and a date after the system's date", async () => {
    const invoice = open()[2]!;
    const other = invoice.currency === "USD" ? "GBP" : "USD";
    expect(
      (await f.fail("record_payment", { invoice_id: invoice.id, amount_minor: 1, currency: other })).code,
    ).toBe("currency_mismatch");
    const late = await f.fail("record_payment", {
      invoice_id: invoice.id,
      amount_minor: 1,
      currency: invoice.currency,
      paid_on: "2099-01-01",
    });
    expect(late.code).toBe("invalid_date");
  });

  it("never lets concurrent payments together exceed what the invoice owes", async () => {
    const invoice = open()[3]!;
    const owed = openOf(invoice);
    const half = Math.floor(owed / 2) + 1;
    // All five plan against the same open amount before any commits; the trigger refuses the
    // four late ones, and re-planned against the paid invoice they answer overpayment.
    const racing = await connectPackClient(pack, { store: holdBatches(f.store, 5), budget: "error" });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        racing.call(
          "record_payment",
          { invoice_id: invoice.id, amount_minor: half, currency: invoice.currency },
          { "toolpacks.dev/idempotencyKey": `pay-${i}` },
        ),
      ),
    );
    await racing.close();
    expect(results.filter((r) => !r.isError).length).toBe(1);
    expect(results.filter((r) => r.isError).map((r) => r._meta?.["toolpacks.dev/errorCode"])).toEqual(
      Array(4).fill("overpayment"),
    );
    const row = await invoiceRow(invoice.id);
    expect(row?.amount_paid_minor).toBe(invoice.amount_paid_minor + half);
    const sum = await f.store.first<{ s: number }>(
      "SELECT SUM(amount_minor) AS s FROM billing_payments WHERE invoice_id = ?",
      [invoice.id],
    );
    expect(sum?.s).toBe(row?.amount_paid_minor);
  });

  it("records one payment per idempotency key, replaying the first answer", async () => {
    const invoice = open()[4]!;
    const key = { "toolpacks.dev/idempotencyKey": "pay-once" };
    const args = { invoice_id: invoice.id, amount_minor: 1, currency: invoice.currency };
    const before = await payments(invoice.id);
    const first = await f.ask<Paid>("record_payment", args, key);
    const second = await f.ask<Paid>("record_payment", args, key);
    expect(second).toEqual(first);
    expect(await payments(invoice.id)).toBe(before + 1);
  });
});

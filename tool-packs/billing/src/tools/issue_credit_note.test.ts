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

type Credited = {
  credit_note_id: string;
  credited_total_minor: number;
  open_after_minor: number;
  refund_due_minor: number;
  invoice_status: string;
};

const credits = async (id: string) =>
  (await f.store.first<{ n: number; s: number | null }>(
    "SELECT COUNT(*) AS n, SUM(amount_minor) AS s FROM billing_credit_notes WHERE invoice_id = ?",
    [id],
  )) ?? { n: 0, s: null };

describe("issue_credit_note", () => {
  it("reduces what an open invoice owes", async () => {
    const invoice = openInvoices(f.world).find((i) => openOf(i) > 1_000)!;
    const answer = await f.ask<Credited>("issue_credit_note", {
      invoice_id: invoice.id,
      amount_minor: 1_000,
      currency: invoice.currency,
      reason: "pricing_error",
    });
    expect(answer).toMatchObject({
      open_after_minor: openOf(invoice) - 1_000,
      refund_due_minor: 0,
      credited_total_minor: invoice.amount_credited_minor + 1_000,
    });
  });

  it("refuses more than the invoice net of earlier credit notes, and writes nothing", async () => {
    const invoice = openInvoices(f.world).filter(
      (i) => openOf(i) > 1_000 && i.amount_credited_minor === 0,
    )[1]!;
    await f.ask("issue_credit_note", {
      invoice_id: invoice.id,
      amount_minor: 1_000,
      currency: invoice.currency,
      reason: "goodwill",
    });
    const before = await credits(invoice.id);
    const creditable = invoice.amount_minor - 1_000;
    const error = await f.fail("issue_credit_note", {
      invoice_id: invoice.id,
      amount_minor: creditable + 1,
      currency: invoice.currency,
      reason: "goodwill",
    });
    expect(error.code).toBe("overcredit");
    expect(error.text).toContain(`credit at most amount_minor ${creditable}`);
    expect(await credits(invoice.id)).toEqual(before);
    const rest = await f.ask<Credited>("issue_credit_note", {
      invoice_id: invoice.id,
      amount_minor: creditable,
      currency: invoice.currency,
      reason: "goodwill",
    });
    expect(rest).toMatchObject({ credited_total_minor: invoice.amount_minor, invoice_status: "paid" });
    expect(
      (
        await f.fail("issue_credit_note", {
          invoice_id: invoice.id,
          amount_minor: 1,
          currency: invoice.currency,
          reason: "goodwill",
        })
      ).code,
    ).toBe("overcredit");
  });

  it("reports a refund due when a paid invoice is credited", async () => {
    const paid = [...f.world.billing.invoices()].find(
      (i) => i.status === "paid" && i.amount_credited_minor === 0 && i.amount_paid_minor === i.amount_minor,
    )!;
    const answer = await f.ask<Credited>("issue_credit_note", {
      invoice_id: paid.id,
      amount_minor: 500,
      currency: paid.currency,
      reason: "damaged_goods",
    });
    expect(answer).toMatchObject({ refund_due_minor: 500, open_after_minor: 0, invoice_status: "paid" });
  });

  it("never lets concurrent credit notes together exceed the invoice", async () => {
    const invoice = openInvoices(f.world).filter(
      (i) => openOf(i) > 1_000 && i.amount_credited_minor === 0,
    )[2]!;
    const share = Math.floor(invoice.amount_minor / 2) + 1;
    // All four plan against the same creditable amount before any commits; the trigger refuses
    // the three late ones, and re-planned against the credited invoice they answer overcredit.
    const racing = await connectPackClient(pack, { store: holdBatches(f.store, 4), budget: "error" });
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        racing.call(
          "issue_credit_note",
          { invoice_id: invoice.id, amount_minor: share, currency: invoice.currency, reason: "goodwill" },
          { "toolpacks.dev/idempotencyKey": `cn-race-${i}` },
        ),
      ),
    );
    await racing.close();
    expect(results.filter((r) => !r.isError).length).toBe(1);
    expect(results.filter((r) => r.isError).map((r) => r._meta?.["toolpacks.dev/errorCode"])).toEqual(
      Array(3).fill("overcredit"),
    );
    expect((await credits(invoice.id)).s).toBe(share);
  });

  it("answers not_found for an unknown invoice, pointing at where ids come from", async () => {
    const error = await f.fail("issue_credit_note", {
      invoice_id: "INV-NOPE",
      amount_minor: 1,
      currency: "USD",
      reason: "goodwill",
    });
    expect(error.code).toBe("not_found");
    expect(error.text).toMatch(/overdue_invoices|get_invoice/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agingBucket } from "../invoices-sql.js";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";
import { daysPastDue, openInvoices, openOf, usdTotal } from "../testing/world-facts.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Aging = {
  buckets: Array<{ bucket: string; invoices: number; open_usd_minor: number }>;
  total: { invoices: number; accounts: number; open_usd_minor: number; past_due_usd_minor: number };
  by_currency: Array<{ currency: string; total_minor: number; buckets: Record<string, number> }>;
  top_accounts: Array<{ account_id: string; open_minor: number }>;
  next_cursor: string | null;
};

describe("ar_aging", () => {
  it("puts every open invoice of the world in the bucket its days past due say, per currency and in USD", async () => {
    const aging = await f.ask<Aging>("ar_aging", {});
    const open = openInvoices(f.world).map((i) => ({ ...i, bucket: agingBucket(daysPastDue(f.world, i)) }));
    expect(open.length).toBeGreaterThan(10);
    for (const b of aging.buckets) {
      const rows = open.filter((i) => i.bucket === b.bucket);
      expect(b.invoices, b.bucket).toBe(rows.length);
      expect(b.open_usd_minor, b.bucket).toBe(usdTotal(rows, openOf));
    }
    for (const c of aging.by_currency) {
      const rows = open.filter((i) => i.currency === c.currency);
      expect(c.total_minor).toBe(rows.reduce((s, i) => s + openOf(i), 0));
      expect(c.buckets["90+"]).toBe(
        rows.filter((i) => i.bucket === "90+").reduce((s, i) => s + openOf(i), 0),
      );
    }
    expect(aging.total.invoices).toBe(open.length);
    expect(aging.total.accounts).toBe(new Set(open.map((i) => i.account_id)).size);
    expect(aging.total.open_usd_minor).toBe(aging.buckets.reduce((s, b) => s + b.open_usd_minor, 0));
  });

  it("counts the accounts owing in one currency when asked for it", async () => {
    for (const currency of ["USD", "EUR", "GBP"]) {
      const aging = await f.ask<Aging>("ar_aging", { currency });
      const open = openInvoices(f.world).filter((i) => i.currency === currency);
      expect(aging.total.accounts, currency).toBe(new Set(open.map((i) => i.account_id)).size);
    }
  });

  it("walks every account with an open balance exactly once through its cursor", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page: Aging = await f.ask<Aging>("ar_aging", { limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.top_accounts.map((a) => a.account_id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    const expected = new Set(openInvoices(f.world).map((i) => i.account_id));
    expect(seen.length).toBe(expected.size);
    expect(new Set(seen)).toEqual(expected);
  });

  it("moves a payment out of its bucket at once: the bucket and the currency total drop by it", async () => {
    const invoice = openInvoices(f.world).find(
      (i) => agingBucket(daysPastDue(f.world, i)) === "31-60" && openOf(i) > 1,
    )!;
    const before = await f.ask<Aging>("ar_aging", { currency: invoice.currency });
    await f.ask("record_payment", { invoice_id: invoice.id, amount_minor: 1, currency: invoice.currency });
    const after = await f.ask<Aging>("ar_aging", { currency: invoice.currency });
    const [was, now] = [before.by_currency[0]!, after.by_currency[0]!];
    expect(now.buckets["31-60"]).toBe((was.buckets["31-60"] ?? 0) - 1);
    expect(now.total_minor).toBe(was.total_minor - 1);
    expect(after.total.invoices).toBe(before.total.invoices);
  });

  it("narrows to one currency when asked", async () => {
    const aging = await f.ask<Aging>("ar_aging", { currency: "EUR" });
    expect(aging.by_currency.map((c) => c.currency)).toEqual(["EUR"]);
    expect(aging.total.invoices).toBe(openInvoices(f.world).filter((i) => i.currency === "EUR").length);
  });

  it("refuses an unknown currency with a message naming the allowed ones", async () => {
    const error = await f.fail("ar_aging", { currency: "JPY" });
    expect(error.code).toBe("invalid_arguments");
    expect(error.text).toMatch(/USD/);
  });
});

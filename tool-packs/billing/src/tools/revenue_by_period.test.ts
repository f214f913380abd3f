import { toReportingMinor } from "@toolpacks/world";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Revenue = {
  periods: Array<{
    period: string;
    invoices: number;
    invoiced_usd_minor: number;
    net_usd_minor: number;
    credited_usd_minor: number;
    collected_usd_minor: number;
  }>;
  totals: {
    invoices: number;
    invoiced_usd_minor: number;
    credited_usd_minor: number;
    collected_usd_minor: number;
  };
  by_currency: Array<{
    currency: string;
    invoiced_minor: number;
    credited_minor: number;
    collected_minor: number;
  }>;
  top_invoices: Array<{ id: string }>;
};

describe("revenue_by_period", () => {
  it("matches each month's invoiced and collected amounts computed from the world", async () => {
    const answer = await f.ask<Revenue>("revenue_by_period", { from: "2026-01", to: "2026-06" });
    expect(answer.periods.map((p) => p.period)).toEqual([
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
    ]);
    for (const p of answer.periods) {
      const per = new Map<string, number>();
      let n = 0;
      for (const i of f.world.billing.invoices()) {
        if (i.issued_on.slice(0, 7) !== p.period) continue;
        n++;
        per.set(i.currency, (per.get(i.currency) ?? 0) + i.amount_minor);
      }
      const paid = new Map<string, number>();
      for (const pay of f.world.billing.payments()) {
        if (pay.paid_on.slice(0, 7) === p.period)
          paid.set(pay.currency, (paid.get(pay.currency) ?? 0) + pay.amount_minor);
      }
      const usd = (m: Map<string, number>) =>
        [...m].reduce((s, [c, v]) => s + toReportingMinor(v, c as "USD"), 0);
      expect(p.invoices, p.period).toBe(n);
      expect(p.invoiced_usd_minor, p.period).toBe(usd(per));
      expect(p.collected_usd_minor, p.period).toBe(usd(paid));
      expect(p.net_usd_minor).toBe(p.invoiced_usd_minor - p.credited_usd_minor);
    }
  });

  it("makes every USD total recomputable from its own per-currency totals (each converted once), for any range", async () => {
    const months: string[] = [];
    for (let y = 2024; y <= 2026; y++)
      for (let m = 1; m <= 12; m++) months.push(`${y}-${String(m).padStart(2, "0")}`);
    const usable = months.filter((m) => m >= "2024-07" && m <= "2026-06");
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: usable.length - 1 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom("month", "quarter"),
        async (start, span, granularity) => {
          const from = usable[start]!;
          const to = usable[Math.min(start + span, usable.length - 1)]!;
          const answer = await f.ask<Revenue>("revenue_by_period", { from, to, granularity });
          const usd = (pick: (c: Revenue["by_currency"][number]) => number) =>
            answer.by_currency.reduce((s, c) => s + toReportingMinor(pick(c), c.currency as "USD"), 0);
          expect(answer.totals.invoiced_usd_minor).toBe(usd((c) => c.invoiced_minor));
          expect(answer.totals.credited_usd_minor).toBe(usd((c) => c.credited_minor));
          expect(answer.totals.collected_usd_minor).toBe(usd((c) => c.collected_minor));
          const issued = [...f.world.billing.invoices()].filter(
            (i) => i.issued_on.slice(0, 7) >= from && i.issued_on.slice(0, 7) <= to,
          );
          for (const c of answer.by_currency) {
            const native = issued
              .filter((i) => i.currency === c.currency)
              .reduce((s, i) => s + i.amount_minor, 0);
            expect(c.invoiced_minor, `${c.currency} ${from}..${to}`).toBe(native);
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it("folds months into quarters without losing any invoice", async () => {
    const months = await f.ask<Revenue>("revenue_by_period", { from: "2025-07", to: "2026-06" });
    const quarters = await f.ask<Revenue>("revenue_by_period", {
      from: "2025-07",
      to: "2026-06",
      granularity: "quarter",
    });
    expect(quarters.periods.map((p) => p.period)).toEqual(["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]);
    expect(quarters.totals).toEqual(months.totals);
  });

  it("keeps the monthly figures equal to the rows after invoices, payments and credit notes are written", async () => {
    const month = f.world.asOf.slice(0, 7);
    const before = (await f.ask<Revenue>("revenue_by_period", { from: month, to: month })).periods[0]!;
    const account = f.world.customers().find((c) => c.currency === "USD")!;
    await f.ask("invoice_order", {
      order_id: "SO-8000001",
      account_id: account.id,
      currency: "USD",
      lines: [{ sku: "SKU-00003", quantity: 2, net_unit_price_minor: 10_000 }],
      total_minor: 20_000,
    });
    await f.ask("record_payment", { invoice_id: "INV-O8000001", amount_minor: 15_000, currency: "USD" });
    await f.ask("issue_credit_note", {
      invoice_id: "INV-O8000001",
      amount_minor: 5_000,
      currency: "USD",
      reason: "goodwill",
    });
    const after = (await f.ask<Revenue>("revenue_by_period", { from: month, to: month })).periods[0]!;
    expect(after.invoices).toBe(before.invoices + 1);
    expect(after.invoiced_usd_minor).toBe(before.invoiced_usd_minor + 20_000);
    expect(after.collected_usd_minor).toBe(before.collected_usd_minor + 15_000);
    expect(after.credited_usd_minor).toBe(before.credited_usd_minor + 5_000);
    const rows = await f.store.first<{ invoiced: number; collected: number; credited: number }>(
      `SELECT (SELECT SUM(amount_minor) FROM billing_invoices WHERE currency = 'USD' AND issued_on LIKE ?) AS invoiced,
         (SELECT SUM(amount_minor) FROM billing_payments WHERE currency = 'USD' AND paid_on LIKE ?) AS collected,
         (SELECT SUM(amount_minor) FROM billing_credit_notes WHERE currency = 'USD' AND issued_on LIKE ?) AS credited`,
      [`${month}%`, `${month}%`, `${month}%`],
    );
    const rollup = await f.store.first<{
      invoiced_minor: number;
      collected_minor: number;
      credited_minor: number;
    }>(
      "SELECT invoiced_minor, collected_minor, credited_minor FROM billing_revenue_monthly WHERE month = ? AND currency = 'USD'",
      [month],
    );
    expect(rollup).toEqual({
      invoiced_minor: rows?.invoiced,
      collected_minor: rows?.collected,
      credited_minor: rows?.credited,
    });
  });

  it("refuses a range that runs backwards or over 24 months", async () => {
    expect((await f.fail("revenue_by_period", { from: "2026-06", to: "2026-01" })).code).toBe(
      "invalid_period",
    );
    expect((await f.fail("revenue_by_period", { from: "2020-01", to: "2026-01" })).code).toBe(
      "invalid_period",
    );
  });
});

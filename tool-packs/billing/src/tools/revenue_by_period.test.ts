import { toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingFixture, openBillingFixture } from "../testing/billing-client.js";

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
  totals: { invoices: number; invoiced_usd_minor: number };
  top_invoices: Array<{ id: string }>;
};

describe("revenue_by_period", () => {
  it("matches each month's invoiced and collected amounts computed from the world", async () => {
    const answer = await f.ok<Revenue>("revenue_by_period", { from: "2026-01", to: "2026-06" });
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

  it("folds months into quarters without losing any invoice", async () => {
    const months = await f.ok<Revenue>("revenue_by_period", { from: "2025-07", to: "2026-06" });
    const quarters = await f.ok<Revenue>("revenue_by_period", {
      from: "2025-07",
      to: "2026-06",
      granularity: "quarter",
    });
    expect(quarters.periods.map((p) => p.period)).toEqual(["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]);
    expect(quarters.totals).toEqual(months.totals);
  });

  it("refuses a range that runs backwards or over 36 months", async () => {
    expect((await f.fail("revenue_by_period", { from: "2026-06", to: "2026-01" })).code).toBe(
      "invalid_period",
    );
    expect((await f.fail("revenue_by_period", { from: "2020-01", to: "2026-01" })).code).toBe(
      "invalid_period",
    );
  });
});

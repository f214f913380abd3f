import { type Currency, dayOf, isoDate, OPEN_STAGES, toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm } from "../test-support.js";

interface StaleDeal {
  id: string;
  amount_usd_minor: number;
  reasons: string[];
  days_since_activity: number | null;
}

describe("stale_deals", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  /** Independent reading of the three rules from the world's deals and activities. */
  function expectedStale(inactiveDays: number, stuckDays: number) {
    const asOf = crm.world.asOf;
    const quietBefore = isoDate(dayOf(asOf) - inactiveDays);
    const stuckBefore = isoDate(dayOf(asOf) - stuckDays);
    const result = new Map<string, { reasons: string[]; usd: number; minor: number; currency: Currency }>();
    for (const { deal, activities } of crm.world.crm.dealBundles()) {
      if (!(OPEN_STAGES as readonly string[]).includes(deal.stage)) continue;
      const last = activities.at(-1)?.occurred_at.slice(0, 10) ?? deal.created_on;
      const reasons = [
        deal.close_date < asOf ? "close_date_passed" : "",
        last < quietBefore ? "no_recent_activity" : "",
        deal.stage_changed_on < stuckBefore ? "stuck_in_stage" : "",
      ].filter(Boolean);
      if (reasons.length > 0)
        result.set(deal.id, {
          reasons,
          usd: toReportingMinor(deal.amount_minor, deal.currency),
          minor: deal.amount_minor,
          currency: deal.currency,
        });
    }
    return result;
  }

  it("finds exactly the open deals that break a rule, each with its reasons", async () => {
    const deals = await crm.pages<StaleDeal>("stale_deals", { limit: 25 }, "deals");
    const expected = expectedStale(30, 60);
    expect(expected.size).toBeGreaterThan(25);
    expect(new Set(deals.map((d) => d.id)).size).toBe(deals.length);
    expect(deals.length).toBe(expected.size);
    for (const d of deals) {
      expect(d.reasons).toEqual(expected.get(d.id)!.reasons);
      expect(d.amount_usd_minor).toBe(expected.get(d.id)!.usd);
    }
    const amounts = deals.map((d) => d.amount_usd_minor);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
  });

  it("counts and sums per reason", async () => {
    const { data } = await crm.call("stale_deals", { inactive_days: 14, stuck_days: 30 });
    const expected = [...expectedStale(14, 30).values()];
    expect(data.totals.deals).toBe(expected.length);
    for (const r of data.by_reason) {
      const hit = expected.filter((e) => e.reasons.includes(r.reason));
      expect(r.deals).toBe(hit.length);
      // One rule: each currency's total converted once, then added.
      const perCurrency = new Map<Currency, number>();
      for (const e of hit) perCurrency.set(e.currency, (perCurrency.get(e.currency) ?? 0) + e.minor);
      const usd = [...perCurrency].reduce((sum, [c, minor]) => sum + toReportingMinor(minor, c), 0);
      expect(r.amount_usd_minor).toBe(usd);
    }
  });

  it("narrows to one reason", async () => {
    const deals = await crm.pages<StaleDeal>(
      "stale_deals",
      { reason: "close_date_passed", limit: 25 },
      "deals",
    );
    expect(deals.length).toBe(
      [...expectedStale(30, 60).values()].filter((e) => e.reasons.includes("close_date_passed")).length,
    );
    for (const d of deals) expect(d.reasons).toContain("close_date_passed");
  });

  it("refuses thresholds out of range", async () => {
    const bad = await crm.call("stale_deals", { inactive_days: 0 });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/inactive_days/);
  });
});

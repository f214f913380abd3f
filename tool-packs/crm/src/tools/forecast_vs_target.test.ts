import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm, usdByRule } from "../test-support.js";

describe("forecast_vs_target", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  it("adds up target, won and weighted pipeline for the as-of quarter", async () => {
    const { data, isError } = await crm.call("forecast_vs_target", {});
    expect(isError).toBe(false);
    expect(data.quarter).toBe("2026-Q2");
    const inQuarter = [...crm.world.crm.deals()].filter(
      (d) => d.close_date >= "2026-04-01" && d.close_date <= "2026-06-30",
    );
    const won = usdByRule(
      inQuarter
        .filter((d) => d.stage === "closed_won")
        .map((d) => ({ currency: d.currency, minor: d.amount_minor })),
    );
    const target = [...crm.world.crm.targets()]
      .filter((t) => t.period === "2026-Q2")
      .reduce((s, t) => s + t.target_minor, 0);
    expect(data.totals.won_usd_minor).toBe(won);
    expect(data.totals.target_usd_minor).toBe(target);
    expect(data.totals.forecast_usd_minor).toBe(
      data.totals.won_usd_minor + data.totals.weighted_pipeline_usd_minor,
    );
    expect(data.totals.gap_usd_minor).toBe(target - data.totals.forecast_usd_minor);
    expect(data.totals.attainment_pct).toBe(Math.round((100 * won) / target));
    expect(data.groups.map((g: { key: string }) => g.key).sort()).toEqual(["EMEA", "NA"]);
  });

  it("won counts the same deals as deals_closed for the quarter, as its description says", async () => {
    const { data } = await crm.call("forecast_vs_target", { quarter: "2026-Q2" });
    const closed = await crm.call("deals_closed", { period: "2026-Q2", outcome: "won" });
    expect(data.totals.won_usd_minor).toBe(closed.data.totals.amount_usd_minor);
    expect(closed.data.totals.amount_usd_minor).toBe(
      closed.data.totals.by_currency.reduce(
        (s: number, c: { amount_usd_minor: number }) => s + c.amount_usd_minor,
        0,
      ),
    );
  });

  it("splits the quarter across owners, each converted on its own, largest gap first, over pages", async () => {
    const owners = await crm.pages<{ key: string; won_usd_minor: number; gap_usd_minor: number }>(
      "forecast_vs_target",
      { group_by: "owner", limit: 3 },
      "groups",
    );
    expect(owners).toHaveLength(crm.world.plan.owners);
    const won = [...crm.world.crm.deals()].filter(
      (d) => d.stage === "closed_won" && d.close_date >= "2026-04-01" && d.close_date <= "2026-06-30",
    );
    for (const o of owners) {
      const mine = won.filter((d) => d.owner_id === o.key);
      expect(o.won_usd_minor).toBe(
        usdByRule(mine.map((d) => ({ currency: d.currency, minor: d.amount_minor }))),
      );
    }
    const gaps = owners.map((o) => o.gap_usd_minor);
    expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
  });

  it("forecasts a future quarter from open pipeline only", async () => {
    const { data } = await crm.call("forecast_vs_target", { quarter: "2026-Q3" });
    expect(data.totals.won_usd_minor).toBe(0);
    expect(data.totals.weighted_pipeline_usd_minor).toBeGreaterThan(0);
  });

  it("refuses a month where a quarter is expected", async () => {
    const { isError, text } = await crm.call("forecast_vs_target", { quarter: "2026-07" });
    expect(isError).toBe(true);
    expect(text).toMatch(/2026-Q3/);
  });
});

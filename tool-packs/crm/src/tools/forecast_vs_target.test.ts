import { toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm } from "../test-support.js";

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
    const won = inQuarter
      .filter((d) => d.stage === "closed_won")
      .reduce((s, d) => s + toReportingMinor(d.amount_minor, d.currency), 0);
    const target = [...crm.world.crm.targets()]
      .filter((t) => t.period === "2026-Q2")
      .reduce((s, t) => s + t.target_minor, 0);
    expect(data.totals.won_minor).toBe(won);
    expect(data.totals.target_minor).toBe(target);
    expect(data.totals.forecast_minor).toBe(data.totals.won_minor + data.totals.weighted_pipeline_minor);
    expect(data.totals.gap_minor).toBe(target - data.totals.forecast_minor);
    expect(data.totals.attainment_pct).toBe(Math.round((100 * won) / target));
    expect(data.groups.map((g: { key: string }) => g.key).sort()).toEqual(["EMEA", "NA"]);
  });

  it("splits the same totals across owners, largest gap first, over pages", async () => {
    const owners = await crm.pages<{ key: string; won_minor: number; gap_minor: number }>(
      "forecast_vs_target",
      { group_by: "owner", limit: 3 },
      "groups",
    );
    const { data } = await crm.call("forecast_vs_target", {});
    expect(owners).toHaveLength(crm.world.plan.owners);
    expect(owners.reduce((s, o) => s + o.won_minor, 0)).toBe(data.totals.won_minor);
    const gaps = owners.map((o) => o.gap_minor);
    expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
  });

  it("forecasts a future quarter from open pipeline only", async () => {
    const { data } = await crm.call("forecast_vs_target", { quarter: "2026-Q3" });
    expect(data.totals.won_minor).toBe(0);
    expect(data.totals.weighted_pipeline_minor).toBeGreaterThan(0);
  });

  it("refuses a month where a quarter is expected", async () => {
    const { isError, text } = await crm.call("forecast_vs_target", { quarter: "2026-07" });
    expect(isError).toBe(true);
    expect(text).toMatch(/2026-Q3/);
  });
});

import { OPEN_STAGES, STAGE_PROBABILITY, toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm, usdByRule } from "../test-support.js";

describe("pipeline_summary", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  const openDeals = () =>
    [...crm.world.crm.deals()].filter((d) => (OPEN_STAGES as readonly string[]).includes(d.stage));

  it("totals the open pipeline per stage exactly as the world's deals add up", async () => {
    const { data, isError } = await crm.call("pipeline_summary", {});
    expect(isError).toBe(false);
    const byStage = new Map<string, typeof deals>();
    const deals = openDeals();
    for (const d of deals) byStage.set(d.stage, [...(byStage.get(d.stage) ?? []), d]);
    // Each currency's total of a figure is converted once (weighted: rounded to the cent first).
    const weightedUsd = (list: typeof deals) =>
      usdByRule(
        ["USD", "EUR", "GBP"].map((currency) => ({
          currency: currency as (typeof deals)[number]["currency"],
          minor: Math.round(
            list
              .filter((d) => d.currency === currency)
              .reduce((s, d) => s + d.amount_minor * STAGE_PROBABILITY[d.stage], 0) / 100,
          ),
        })),
      );
    const expected = new Map(
      [...byStage].map(([stage, list]) => [
        stage,
        {
          deals: list.length,
          amount: usdByRule(list.map((d) => ({ currency: d.currency, minor: d.amount_minor }))),
          weighted: weightedUsd(list),
        },
      ]),
    );
    expect(data.groups.map((g: { key: string }) => g.key)).toEqual(
      OPEN_STAGES.filter((s) => expected.has(s)),
    );
    for (const g of data.groups) {
      expect(g).toEqual({
        key: g.key,
        deals: expected.get(g.key)!.deals,
        amount_usd_minor: expected.get(g.key)!.amount,
        weighted_usd_minor: expected.get(g.key)!.weighted,
      });
    }
    expect(data.totals).toEqual({
      deals: deals.length,
      amount_usd_minor: usdByRule(deals.map((d) => ({ currency: d.currency, minor: d.amount_minor }))),
      weighted_usd_minor: weightedUsd(deals),
    });
    expect(data.as_of).toBe("2026-06-30");
    expect(data.reporting_currency).toBe("USD");
  });

  it("lists the largest open deals first", async () => {
    const { data } = await crm.call("pipeline_summary", {});
    const largest = openDeals()
      .map((d) => toReportingMinor(d.amount_minor, d.currency))
      .sort((a, b) => b - a)
      .slice(0, 3);
    expect(data.top_deals.map((d: { amount_usd_minor: number }) => d.amount_usd_minor)).toEqual(largest);
    for (const d of data.top_deals) {
      expect(toReportingMinor(d.amount_minor, d.currency)).toBe(d.amount_usd_minor);
    }
  });

  it("walks every owner group across pages without repeats", async () => {
    const groups = await crm.pages<{ key: string; deals: number }>(
      "pipeline_summary",
      { group_by: "owner", limit: 2 },
      "groups",
    );
    const owners = new Set(openDeals().map((d) => d.owner_id));
    expect(groups.map((g) => g.key).sort()).toEqual([...owners].sort());
    expect(groups.reduce((s, g) => s + g.deals, 0)).toBe(openDeals().length);
  });

  it("filters by expected close period and team", async () => {
    const { data } = await crm.call("pipeline_summary", { period: "2026-Q3", group_by: "close_month" });
    const inQ3 = openDeals().filter((d) => d.close_date >= "2026-07-01" && d.close_date <= "2026-09-30");
    expect(data.totals.deals).toBe(inQ3.length);
    expect(data.groups.every((g: { key: string }) => g.key >= "2026-07" && g.key <= "2026-09")).toBe(true);
    const emea = new Set(
      crm.world
        .owners()
        .filter((o) => o.team === "EMEA")
        .map((o) => o.id),
    );
    const byTeam = await crm.call("pipeline_summary", { team: "EMEA" });
    expect(byTeam.data.totals.deals).toBe(openDeals().filter((d) => emea.has(d.owner_id)).length);
  });

  it("answers the same from its rollup (no period) as from the deals (a period covering every close date), also after deals move", async () => {
    // Without a period the stage, owner and team groups add up the rollup; with one they group
    // the deals themselves. Over a period that holds every close date both must agree.
    const dates = openDeals()
      .map((d) => d.close_date)
      .sort();
    const everything = `${dates[0]}..${dates.at(-1)}`;
    const agree = async () => {
      for (const group_by of ["stage", "owner", "team"] as const) {
        const fromRollup = await crm.call("pipeline_summary", { group_by, limit: 50 });
        const fromDeals = await crm.call("pipeline_summary", { group_by, limit: 50, period: everything });
        expect(fromRollup.data.groups, group_by).toEqual(fromDeals.data.groups);
        expect(fromRollup.data.totals, group_by).toEqual(fromDeals.data.totals);
      }
    };
    await agree();
    const [won, moved] = openDeals().filter((d) => d.stage === "negotiation");
    expect(await crm.call("move_deal_stage", { deal_id: won!.id, to_stage: "closed_won" })).toMatchObject({
      isError: false,
    });
    const before = (await crm.call("pipeline_summary", {})).data.totals.deals;
    expect(await crm.call("move_deal_stage", { deal_id: moved!.id, to_stage: "closed_won" })).toMatchObject({
      isError: false,
    });
    expect((await crm.call("pipeline_summary", {})).data.totals.deals).toBe(before - 1);
    await agree();
  });

  it("refuses an impossible period with a fix", async () => {
    const bad = await crm.call("pipeline_summary", { period: "2026-09-01..2026-08-01" });
    expect(bad.isError).toBe(true);
    expect(bad.code).toBe("invalid_period");
    expect(bad.text).toMatch(/ends before it starts.*Fix:/);
    const shape = await crm.call("pipeline_summary", { period: "Q3" });
    expect(shape.isError).toBe(true);
    expect(shape.text).toMatch(/2026-Q2/);
  });
});

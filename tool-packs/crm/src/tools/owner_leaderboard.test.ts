import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm, usdByRule } from "../test-support.js";

describe("owner_leaderboard", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  it("ranks owners by won amount with per-owner figures from the world", async () => {
    const owners = await crm.pages<{
      rank: number;
      owner_id: string;
      won_deals: number;
      won_usd_minor: number;
      activities: number;
    }>("owner_leaderboard", { period: "2026-Q1", limit: 2 }, "owners");
    expect(owners.map((o) => o.rank)).toEqual(owners.map((_, i) => i + 1));
    const won = [...crm.world.crm.deals()].filter(
      (d) => d.stage === "closed_won" && d.close_date.startsWith("2026-0") && d.close_date <= "2026-03-31",
    );
    for (const o of owners) {
      const mine = won.filter((d) => d.owner_id === o.owner_id);
      expect(o.won_deals).toBe(mine.length);
      expect(o.won_usd_minor).toBe(
        usdByRule(mine.map((d) => ({ currency: d.currency, minor: d.amount_minor }))),
      );
    }
    const amounts = owners.map((o) => o.won_usd_minor);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    const activities = [...crm.world.crm.activities()].filter(
      (a) => a.occurred_at >= "2026-01-01" && a.occurred_at < "2026-04-01",
    );
    expect(owners.reduce((s, o) => s + o.activities, 0)).toBe(activities.length);
  });

  it("ranks by activities within a team", async () => {
    const { data } = await crm.call("owner_leaderboard", { rank_by: "activities", team: "NA", limit: 25 });
    const counts = data.owners.map((o: { activities: number }) => o.activities);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    for (const o of data.owners) expect(o.team).toBe("NA");
  });
});

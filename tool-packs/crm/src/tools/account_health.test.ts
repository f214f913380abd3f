import { dayOf, isoDate, OPEN_STAGES } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm, usdByRule } from "../test-support.js";

describe("account_health", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  it("reports pipeline, 12-month wins and activity as the world's rows add up", async () => {
    const accountId = "C-000002";
    const { data, isError } = await crm.call("account_health", { account_id: accountId });
    expect(isError).toBe(false);
    const bundles = [...crm.world.crm.dealBundles()].filter((b) => b.deal.account_id === accountId);
    const yearAgo = isoDate(dayOf(crm.world.asOf) - 365);
    const ninetyDaysAgo = isoDate(dayOf(crm.world.asOf) - 90);
    const open = bundles.filter((b) => (OPEN_STAGES as readonly string[]).includes(b.deal.stage));
    const won = bundles.filter((b) => b.deal.stage === "closed_won" && b.deal.close_date > yearAgo);
    const lost = bundles.filter((b) => b.deal.stage === "closed_lost" && b.deal.close_date > yearAgo);
    expect(data.open_pipeline.deals).toBe(open.length);
    expect(data.open_pipeline.amount_usd_minor).toBe(
      usdByRule(open.map((b) => ({ currency: b.deal.currency, minor: b.deal.amount_minor }))),
    );
    // "Last 90 days" is as_of and the 89 days before it: 90 days, like every other window.
    const recent = bundles
      .flatMap((b) => b.activities)
      .filter((a) => a.occurred_at.slice(0, 10) > ninetyDaysAgo);
    expect(data.activity.last_90_days).toBe(recent.length);
    expect(data.last_12_months.won_deals).toBe(won.length);
    expect(data.last_12_months.lost_deals).toBe(lost.length);
    const last =
      bundles
        .flatMap((b) => b.activities.map((a) => a.occurred_at))
        .sort()
        .at(-1) ?? null;
    expect(data.activity.last_at).toBe(last);
    expect(data.account.contacts).toBe(
      [...crm.world.crm.contacts()].filter((c) => c.account_id === accountId).length,
    );
  });

  it("keeps contact names and emails out of the answer", async () => {
    const { text } = await crm.call("account_health", { account_id: "C-000001" });
    const contact = [...crm.world.crm.contacts()].find((c) => c.account_id === "C-000001")!;
    expect(text).not.toContain(contact.email);
    expect(text).not.toContain(contact.name);
  });

  it("says how to find an account id when the id is unknown", async () => {
    const { isError, code, text } = await crm.call("account_health", { account_id: "C-999999" });
    expect(isError).toBe(true);
    expect(code).toBe("not_found");
    expect(text).toMatch(/search_companies/);
  });
});

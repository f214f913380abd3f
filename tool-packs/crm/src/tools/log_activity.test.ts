import { IDEMPOTENCY_KEY_META } from "@toolpacks/pack-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm } from "../test-support.js";

describe("log_activity", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  const activities = async (dealId: string) =>
    (await crm.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM crm_activities WHERE deal_id = ?", [
      dealId,
    ]))!.n;

  it("logs once per idempotency key and refreshes the deal's last activity", async () => {
    const stale = await crm.call("stale_deals", { reason: "no_recent_activity", limit: 1 });
    const dealId = stale.data.deals[0].id as string;
    const before = await activities(dealId);
    const args = { deal_id: dealId, kind: "call", subject: "Re-engaged the buyer" };
    const first = await crm.call("log_activity", args, { [IDEMPOTENCY_KEY_META]: "act-1" });
    const retry = await crm.call("log_activity", args, { [IDEMPOTENCY_KEY_META]: "act-1" });
    expect(retry.data.activity_id).toBe(first.data.activity_id);
    expect(await activities(dealId)).toBe(before + 1);
    const deal = await crm.call("get_deal", { deal_id: dealId });
    expect(deal.data.deal.last_activity_at).toBe("2026-06-30T12:00:00Z");
    const after = await crm.call("stale_deals", { reason: "no_recent_activity", limit: 25 });
    expect(after.data.deals.map((d: { id: string }) => d.id)).not.toContain(dealId);
  });

  it("logs a second activity for a second call without a key", async () => {
    const dealId = crm.world.crm.dealAt(3).deal.id;
    const before = await activities(dealId);
    await crm.call("log_activity", { deal_id: dealId, kind: "note", subject: "a" });
    await crm.call("log_activity", { deal_id: dealId, kind: "note", subject: "a" });
    expect(await activities(dealId)).toBe(before + 2);
  });

  it("refuses activities dated after the CRM's date and bad timestamps", async () => {
    const dealId = crm.world.crm.dealAt(4).deal.id;
    const before = await activities(dealId);
    const future = await crm.call("log_activity", {
      deal_id: dealId,
      kind: "call",
      subject: "x",
      occurred_at: "2026-07-02T10:00:00Z",
    });
    expect(future.code).toBe("future_activity");
    expect(future.text).toMatch(/create_follow_up_task/);
    const bad = await crm.call("log_activity", {
      deal_id: dealId,
      kind: "call",
      subject: "x",
      occurred_at: "2026-02-31T10:00:00Z",
    });
    expect(bad.isError).toBe(true);
    const kind = await crm.call("log_activity", { deal_id: dealId, kind: "sms", subject: "x" });
    expect(kind.isError).toBe(true);
    expect(await activities(dealId)).toBe(before);
  });
});

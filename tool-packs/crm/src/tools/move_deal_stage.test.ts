import { DRY_RUN_META, IDEMPOTENCY_KEY_META, REPLAYED_META } from "@toolpacks/pack-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm } from "../test-support.js";

describe("move_deal_stage", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  const openDeal = (n: number) => [...crm.world.crm.deals()].filter((d) => d.stage === "proposal")[n]!;
  const stored = (id: string) =>
    crm.store.first<{ stage: string; close_date: string; lost_reason: string | null }>(
      "SELECT stage, close_date, lost_reason FROM crm_deals WHERE id = ?",
      [id],
    );
  const changes = async (id: string) =>
    (await crm.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM crm_stage_changes WHERE deal_id = ?", [
      id,
    ]))!.n;

  it("moves an open deal and records the change once, even when retried with the same key", async () => {
    const deal = openDeal(0);
    const meta = { [IDEMPOTENCY_KEY_META]: "move-1" };
    const first = await crm.call("move_deal_stage", { deal_id: deal.id, to_stage: "negotiation" }, meta);
    expect(first.isError).toBe(false);
    expect(first.data).toMatchObject({
      from_stage: "proposal",
      to_stage: "negotiation",
      changed: true,
      dry_run: false,
    });
    const retry = await crm.call("move_deal_stage", { deal_id: deal.id, to_stage: "negotiation" }, meta);
    expect(retry.meta[REPLAYED_META]).toBe(true);
    expect(retry.data).toEqual(first.data);
    expect((await stored(deal.id))!.stage).toBe("negotiation");
    expect(await changes(deal.id)).toBe(1);
  });

  it("closes a deal as won on the as-of date and then keeps it closed", async () => {
    const deal = openDeal(1);
    const won = await crm.call("move_deal_stage", { deal_id: deal.id, to_stage: "closed_won" });
    expect(won.data.close_date).toBe("2026-06-30");
    expect(await stored(deal.id)).toMatchObject({ stage: "closed_won", close_date: "2026-06-30" });
    const again = await crm.call("move_deal_stage", { deal_id: deal.id, to_stage: "proposal" });
    expect(again.isError).toBe(true);
    expect(again.code).toBe("invalid_transition");
    expect(again.text).toMatch(/closed deals cannot change stage.*Fix:/);
    const closedInJune = await crm.call("deals_closed", {
      period: "2026-06",
      account_id: deal.account_id,
      limit: 15,
    });
    expect(closedInJune.data.deals.map((d: { id: string }) => d.id)).toContain(deal.id);
  });

  it("needs a lost reason to close as lost, and stores it", async () => {
    const deal = openDeal(2);
    const missing = await crm.call("move_deal_stage", { deal_id: deal.id, to_stage: "closed_lost" });
    expect(missing.isError).toBe(true);
    expect(missing.code).toBe("missing_lost_reason");
    expect(missing.text).toMatch(/competitor/);
    await crm.call("move_deal_stage", {
      deal_id: deal.id,
      to_stage: "closed_lost",
      lost_reason: "competitor",
    });
    expect(await stored(deal.id)).toMatchObject({ stage: "closed_lost", lost_reason: "competitor" });
  });

  it("reports a dry run without touching the deal", async () => {
    const deal = openDeal(3);
    const dry = await crm.call(
      "move_deal_stage",
      { deal_id: deal.id, to_stage: "qualification" },
      { [DRY_RUN_META]: true },
    );
    expect(dry.data.dry_run).toBe(true);
    expect(dry.data.changes[0]).toMatch(/proposal -> qualification/);
    expect((await stored(deal.id))!.stage).toBe("proposal");
    expect(await changes(deal.id)).toBe(0);
  });

  it("treats a move to the current stage as a no-op", async () => {
    const deal = openDeal(4);
    const same = await crm.call("move_deal_stage", { deal_id: deal.id, to_stage: "proposal" });
    expect(same.data).toMatchObject({ changed: false, changes: [] });
    expect(await changes(deal.id)).toBe(0);
  });

  it("refuses an unknown stage and an unknown deal without writing", async () => {
    const deal = openDeal(5);
    const stage = await crm.call("move_deal_stage", { deal_id: deal.id, to_stage: "won" });
    expect(stage.isError).toBe(true);
    expect(stage.text).toMatch(/closed_won/);
    const unknown = await crm.call("move_deal_stage", { deal_id: "D-0", to_stage: "negotiation" });
    expect(unknown.code).toBe("not_found");
    expect(await changes(deal.id)).toBe(0);
  });
});

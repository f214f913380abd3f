import { IDEMPOTENCY_KEY_META } from "@toolpacks/pack-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm } from "../test-support.js";

describe("create_follow_up_task", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  const tasks = async () => (await crm.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM crm_tasks"))!.n;

  it("creates one task per key, assigned to the deal's owner, visible in account health", async () => {
    const { deal } = crm.world.crm.dealAt(5);
    const args = { deal_id: deal.id, title: "Send revised quote", due_on: "2026-07-07" };
    const first = await crm.call("create_follow_up_task", args, { [IDEMPOTENCY_KEY_META]: "task-1" });
    await crm.call("create_follow_up_task", args, { [IDEMPOTENCY_KEY_META]: "task-1" });
    expect(first.data).toMatchObject({
      account_id: deal.account_id,
      owner_id: deal.owner_id,
      status: "open",
    });
    expect(await tasks()).toBe(1);
    const health = await crm.call("account_health", { account_id: deal.account_id });
    expect(health.data.open_tasks).toBe(1);
    expect((await crm.call("get_deal", { deal_id: deal.id })).data.open_tasks).toBe(1);
  });

  it("creates an account-level task for another owner", async () => {
    const owner = crm.world.owners()[1]!.id;
    const { data } = await crm.call("create_follow_up_task", {
      account_id: "C-000004",
      title: "Quarterly review",
      due_on: "2026-09-30",
      owner_id: owner,
    });
    expect(data).toMatchObject({ deal_id: null, account_id: "C-000004", owner_id: owner });
  });

  it("refuses tasks without a target, in the past, or for a mismatched account, writing nothing", async () => {
    const before = await tasks();
    const none = await crm.call("create_follow_up_task", { title: "x", due_on: "2026-07-01" });
    expect(none.code).toBe("missing_target");
    const past = await crm.call("create_follow_up_task", {
      account_id: "C-000001",
      title: "x",
      due_on: "2026-06-01",
    });
    expect(past.code).toBe("due_date_out_of_range");
    expect(past.text).toMatch(/2026-06-30/);
    const { deal } = crm.world.crm.dealAt(6);
    const other = deal.account_id === "C-000001" ? "C-000002" : "C-000001";
    const mismatch = await crm.call("create_follow_up_task", {
      deal_id: deal.id,
      account_id: other,
      title: "x",
      due_on: "2026-07-01",
    });
    expect(mismatch.code).toBe("account_mismatch");
    const owner = await crm.call("create_follow_up_task", {
      account_id: "C-000001",
      title: "x",
      due_on: "2026-07-01",
      owner_id: "U-999",
    });
    expect(owner.code).toBe("not_found");
    expect(await tasks()).toBe(before);
  });
});

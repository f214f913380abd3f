import type { EconomicsTask } from "../task.js";

/** Single pack, with writes: a follow-up task on each of the largest quiet deals. */
export const crmStaleFollowUps: EconomicsTask = {
  id: "crm-stale-follow-ups",
  title: "Follow-up tasks on the 10 largest quiet deals",
  packs: ["crm"],
  shape: { packs: "single-pack", effect: "write" },
  prompt:
    "Find the 10 largest open deals with no activity for 30 days and create a follow-up task 'Re-engage: " +
    "confirm next step' due 2026-07-07 on each, for its owner. Return, per owner, the deals that got a task.",
  program: `const stale = await crm.stale_deals({ reason: "no_recent_activity", limit: 10 });
const byOwner = {};
for (const deal of stale.deals) {
  const task = await crm.create_follow_up_task({ deal_id: deal.id, title: "Re-engage: confirm next step", due_on: "2026-07-07" });
  (byOwner[task.owner_id] ??= []).push(deal.id);
}
return { tasks_created: stale.deals.length, by_owner: byOwner };`,
};

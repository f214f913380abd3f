import type { EconomicsTask } from "../task.js";

/** Single pack, read: the accounts behind the largest open deals, and how healthy they are. */
export const crmTopAccountsHealth: EconomicsTask = {
  id: "crm-top-accounts-health",
  title: "Health of the accounts behind the largest open deals",
  packs: ["crm"],
  shape: { packs: "single-pack", effect: "read" },
  prompt:
    "Which accounts own the largest open deals right now, and what risk flags does each of them have? " +
    "Give each account's id, open pipeline amount, win rate and flags.",
  program: `const pipeline = await crm.pipeline_summary({});
const accounts = [...new Set(pipeline.top_deals.map((d) => d.account_id))];
const health = [];
for (const account_id of accounts) {
  const h = await crm.account_health({ account_id });
  health.push({
    account_id,
    open_pipeline_usd_minor: h.open_pipeline.amount_usd_minor,
    win_rate_pct: h.last_12_months.win_rate_pct,
    flags: h.flags,
  });
}
return health;`,
};

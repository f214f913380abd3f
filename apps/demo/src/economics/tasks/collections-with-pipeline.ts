import type { EconomicsTask } from "../task.js";

/** Cross-pack, read: accounts in collections that sales is still pursuing. */
export const collectionsWithPipeline: EconomicsTask = {
  id: "collections-with-pipeline",
  title: "Accounts in collections that still have open pipeline",
  packs: ["crm", "billing"],
  shape: { packs: "cross-pack", effect: "read" },
  prompt:
    "Which accounts that are due for collections (the last dunning stage) still have open deals in the " +
    "CRM? Give overdue amount, open pipeline and the account's owner, largest pipeline first.",
  program: `const dunning = await billing.dunning_candidates({ stage: "collections", limit: 15 });
const flagged = [];
for (const c of dunning.candidates) {
  const health = await crm.account_health({ account_id: c.account_id });
  if (health.open_pipeline.deals === 0) continue;
  flagged.push({
    account_id: c.account_id,
    owner_id: health.account.owner_id,
    overdue_minor: c.overdue_minor,
    currency: c.currency,
    open_deals: health.open_pipeline.deals,
    open_pipeline_usd_minor: health.open_pipeline.amount_usd_minor,
  });
}
return flagged.sort((a, b) => b.open_pipeline_usd_minor - a.open_pipeline_usd_minor);`,
};

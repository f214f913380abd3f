import type { EconomicsTask } from "../task.js";

/** Single pack, read: who to chase first, with how each account usually pays. */
export const billingDunningBehaviour: EconomicsTask = {
  id: "billing-dunning-behaviour",
  title: "Dunning candidates with their payment behaviour",
  packs: ["billing"],
  shape: { packs: "single-pack", effect: "read" },
  prompt:
    "List the 10 accounts with the largest overdue amounts, with their dunning stage, and for each how " +
    "late they usually pay and their on-time ratio over the last 12 months.",
  program: `const dunning = await billing.dunning_candidates({ limit: 10 });
const accounts = [];
for (const c of dunning.candidates) {
  const b = await billing.customer_balance({ account_id: c.account_id });
  accounts.push({
    account_id: c.account_id,
    stage: c.stage,
    overdue_minor: c.overdue_minor,
    currency: c.currency,
    avg_days_late: b.behaviour_12m.avg_days_late,
    on_time_ratio: b.behaviour_12m.on_time_ratio,
  });
}
return accounts;`,
};

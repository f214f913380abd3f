import type { EconomicsTask } from "../task.js";

/** Single pack, read: the owners furthest from target, and the stale deals they could revive. */
export const crmOwnerGaps: EconomicsTask = {
  id: "crm-owner-gaps",
  title: "Owners furthest from target and their stale deals",
  packs: ["crm"],
  shape: { packs: "single-pack", effect: "read" },
  prompt:
    "Which 5 salespeople are furthest behind their target this quarter, and how much stale open pipeline " +
    "does each of them have? Give owner id, gap, number and amount of stale deals, and the largest one.",
  program: `const forecast = await crm.forecast_vs_target({ group_by: "owner", limit: 5 });
const owners = [];
for (const row of forecast.groups) {
  const stale = await crm.stale_deals({ owner_id: row.key, limit: 1 });
  owners.push({
    owner_id: row.key,
    gap_usd_minor: row.gap_usd_minor,
    stale_deals: stale.totals.deals,
    stale_amount_usd_minor: stale.totals.amount_usd_minor,
    largest_stale_deal: stale.deals[0]?.id ?? null,
  });
}
return owners;`,
};

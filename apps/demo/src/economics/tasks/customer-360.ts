import type { EconomicsTask } from "../task.js";

/** Cross-pack, read: one view of the biggest prospects across CRM, ERP and billing. */
export const customer360: EconomicsTask = {
  id: "customer-360",
  title: "A 360 view of the accounts behind the largest open deals",
  packs: ["crm", "erp", "billing"],
  shape: { packs: "cross-pack", effect: "read" },
  prompt:
    "For the accounts behind the largest open deals, give one line each: CRM risk flags and open pipeline, " +
    "ERP open orders and credit headroom, billing open and overdue balance.",
  program: `const pipeline = await crm.pipeline_summary({});
const ids = [...new Set(pipeline.top_deals.map((d) => d.account_id))];
const rows = [];
for (const account_id of ids) {
  const health = await crm.account_health({ account_id });
  const erpView = await erp.order_to_cash_by_customer({ customer_id: account_id });
  const balance = await billing.customer_balance({ account_id });
  const c = erpView.customers[0];
  rows.push({
    account_id,
    flags: health.flags,
    open_pipeline_usd_minor: health.open_pipeline.amount_usd_minor,
    open_orders: c ? c.draft.orders + c.confirmed.orders : 0,
    credit_headroom_minor: c?.credit_headroom_minor ?? null,
    open_balance_minor: balance.balance.open_minor,
    overdue_minor: balance.balance.overdue_minor,
  });
}
return rows;`,
};

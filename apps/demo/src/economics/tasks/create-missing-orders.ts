import type { EconomicsTask } from "../task.js";

/** Cross-pack, with writes: create the ERP orders the CRM's won deals are missing. */
export const createMissingOrders: EconomicsTask = {
  id: "create-missing-orders",
  title: "Create the sales orders missing for June's won deals",
  packs: ["crm", "erp"],
  shape: { packs: "cross-pack", effect: "write" },
  prompt:
    "Every deal closed-won in June 2026 needs a sales order. Create the missing ones from the deals' lines " +
    "and tell me which orders you created, with their totals.",
  program: `const deals = [];
let cursor;
do {
  const page = await crm.deals_closed({ period: "2026-06", limit: 10, cursor });
  deals.push(...page.deals);
  cursor = page.next_cursor ?? undefined;
} while (cursor);
const check = await erp.orders_for_deals({ deal_ids: deals.map((d) => d.id) });
const missing = new Set(check.missing);
const created = [];
for (const deal of deals) {
  if (!missing.has(deal.id)) continue;
  const order = await erp.create_sales_order({
    deal_id: deal.id,
    account_id: deal.account_id,
    currency: deal.currency,
    lines: deal.lines,
  });
  created.push({ order_id: order.order_id, deal_id: deal.id, total_minor: order.total_minor, currency: order.currency });
}
return { deals: deals.length, already_ordered: check.with_order, created };`,
};

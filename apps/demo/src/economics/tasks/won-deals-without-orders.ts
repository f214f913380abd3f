import type { EconomicsTask } from "../task.js";

/** Cross-pack, read: the order-to-cash gap between the CRM and the ERP. */
export const wonDealsWithoutOrders: EconomicsTask = {
  id: "won-deals-without-orders",
  title: "Deals won this quarter that have no sales order",
  packs: ["crm", "erp"],
  shape: { packs: "cross-pack", effect: "read" },
  prompt:
    "Which deals closed-won in 2026-Q2 still have no sales order in the ERP? Give their count, total per " +
    "currency and, per owner, the deal ids.",
  program: `const deals = [];
let cursor;
do {
  const page = await crm.deals_closed({ period: "2026-Q2", limit: 10, cursor });
  deals.push(...page.deals);
  cursor = page.next_cursor ?? undefined;
} while (cursor);
const missing = new Set();
for (let i = 0; i < deals.length; i += 100) {
  const check = await erp.orders_for_deals({ deal_ids: deals.slice(i, i + 100).map((d) => d.id) });
  for (const id of check.missing) missing.add(id);
}
const byCurrency = {};
const byOwner = {};
for (const d of deals) {
  if (!missing.has(d.id)) continue;
  byCurrency[d.currency] = (byCurrency[d.currency] ?? 0) + d.amount_minor;
  (byOwner[d.owner_id] ??= []).push(d.id);
}
return { deals_won: deals.length, without_order: missing.size, amount_by_currency: byCurrency, by_owner: byOwner };`,
};

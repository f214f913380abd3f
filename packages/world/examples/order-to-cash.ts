// Runnable: `npx -y pnpm@10 exec tsx packages/world/examples/order-to-cash.ts`
// Finds the closed-won deals of June 2026 that have no ERP sales order yet, and
// checks stock and overdue invoices for their accounts: the joins a program over
// the four packs makes, done here directly on the generated rows.
import { createWorld } from "@toolpacks/world";

const world = createWorld({ scale: 10_000, seed: 42 });

const ordered = new Set<string>();
for (const order of world.erp.salesOrders()) ordered.add(order.deal_id);

const overdueByAccount = new Map<string, number>();
for (const invoice of world.billing.invoices()) {
  if (invoice.status !== "overdue") continue;
  const balance = invoice.amount_minor - invoice.amount_paid_minor - invoice.amount_credited_minor;
  overdueByAccount.set(invoice.account_id, (overdueByAccount.get(invoice.account_id) ?? 0) + balance);
}

const available = new Map<string, number>();
for (const row of world.warehouse.stock()) {
  available.set(row.sku, (available.get(row.sku) ?? 0) + row.on_hand - row.reserved);
}

const missing = [];
for (const { deal, lines } of world.crm.dealBundles()) {
  if (deal.stage !== "closed_won" || !deal.close_date.startsWith("2026-06") || ordered.has(deal.id)) continue;
  missing.push({
    deal: deal.id,
    account: deal.account_id,
    amount_minor: deal.amount_minor,
    currency: deal.currency,
    short_lines: lines.filter((l) => (available.get(l.sku) ?? 0) < l.quantity).map((l) => l.sku),
    overdue_minor: overdueByAccount.get(deal.account_id) ?? 0,
  });
}

console.log(
  JSON.stringify({ as_of: world.asOf, won_without_order: missing.length, first: missing.slice(0, 3) }),
);

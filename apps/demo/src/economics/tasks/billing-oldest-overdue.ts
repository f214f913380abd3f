import type { EconomicsTask } from "../task.js";

/** Single pack, read: the oldest overdue invoices, checked line by line. */
export const billingOldestOverdue: EconomicsTask = {
  id: "billing-oldest-overdue",
  title: "Oldest overdue invoices: what was billed and what is paid",
  packs: ["billing"],
  shape: { packs: "single-pack", effect: "read" },
  prompt:
    "Take the 10 oldest overdue invoices. For each, is it for an order or a subscription, how many lines " +
    "does it have, how much is still open and have any payments been made?",
  program: `const overdue = await billing.overdue_invoices({ sort: "days_overdue", limit: 10 });
const invoices = [];
for (const inv of overdue.invoices) {
  const full = await billing.get_invoice({ invoice_id: inv.id });
  invoices.push({
    invoice_id: inv.id,
    kind: full.invoice.sales_order_id ? "order" : "subscription",
    lines: full.lines.count,
    open_minor: full.invoice.open_minor,
    currency: full.invoice.currency,
    payments: full.payments.length,
  });
}
return invoices;`,
};

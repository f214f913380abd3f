import type { EconomicsTask } from "../task.js";

/** Single pack, read, paged: open orders grouped by customer, with the customers' credit headroom. */
export const erpOpenOrders: EconomicsTask = {
  id: "erp-open-orders",
  title: "Open orders by customer with credit headroom",
  packs: ["erp"],
  shape: { packs: "single-pack", effect: "read" },
  prompt:
    "Which customers have the most sales orders not shipped yet? For the top 3, give the number of open " +
    "orders, how many are late, their open amount and their remaining credit headroom.",
  program: `const open = new Map();
let cursor;
do {
  const page = await erp.open_orders({ limit: 15, cursor });
  for (const order of page.orders) open.set(order.customer_id, (open.get(order.customer_id) ?? 0) + 1);
  cursor = page.next_cursor ?? undefined;
} while (cursor);
const top = [...open.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
const customers = [];
for (const [customer_id, open_orders] of top) {
  const status = await erp.order_to_cash_by_customer({ customer_id });
  const c = status.customers[0];
  customers.push({
    customer_id,
    open_orders,
    late_orders: c.late_orders,
    currency: c.currency,
    open_amount_minor: c.draft.amount_minor + c.confirmed.amount_minor,
    credit_headroom_minor: c.credit_headroom_minor,
  });
}
return customers;`,
};

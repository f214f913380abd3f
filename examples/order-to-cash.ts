// Order to cash for the deals won in June 2026, across the four packs, as one code-mode program:
//   npx -y pnpm@10 toolpacks exec examples/order-to-cash.ts --pack crm --pack erp --pack warehouse --pack billing --approve auto
// CRM: closed-won deals -> ERP: create the missing sales orders -> warehouse: reserve each new order's
// stock, or raise a purchase order for what is short -> warehouse: ship what is reserved -> billing:
// invoice it, except for accounts with overdue balances -> ERP: record the shipment -> who to notify.
// Safe to run again: every step looks before it writes, and every write carries an idempotency key
// from the runtime.

const PERIOD = "2026-06";

// 1. CRM: every deal closed-won in the period, with its lines.
type Deal = Awaited<ReturnType<typeof crm.deals_closed>>["deals"][number];
// The CRM and ERP answer currencies as plain strings; the writes take the ISO code union.
type Currency = Parameters<typeof erp.create_sales_order>[0]["currency"];
const deals: Deal[] = [];
let cursor: string | undefined;
do {
  const page = await crm.deals_closed({ period: PERIOD, limit: 10, cursor });
  deals.push(...page.deals);
  cursor = page.next_cursor ?? undefined;
  if (!cursor && deals.length !== page.totals.deals)
    throw new Error(`read ${deals.length} of ${page.totals.deals} deals`);
} while (cursor);

// 2. ERP: which deals already have a sales order; create the missing ones.
const orderOf = new Map<string, { order_id: string; status: string }>();
for (let i = 0; i < deals.length; i += 100) {
  const check = await erp.orders_for_deals({ deal_ids: deals.slice(i, i + 100).map((d) => d.id) });
  for (const o of check.orders) orderOf.set(o.deal_id, { order_id: o.order_id, status: o.status });
}
const created: string[] = [];
for (const deal of deals) {
  if (orderOf.has(deal.id)) continue;
  const order = await erp.create_sales_order({
    deal_id: deal.id,
    account_id: deal.account_id,
    currency: deal.currency as Currency,
    // Deal lines and order lines share one shape: net_unit_price_minor is the discounted price.
    lines: deal.lines,
  });
  orderOf.set(deal.id, { order_id: order.order_id, status: order.status });
  created.push(order.order_id);
}

// 3. Billing: which of these accounts have overdue balances (no new invoices for them).
const accountIds = [...new Set(deals.map((d) => d.account_id))];
const overdue = new Map<string, { overdue_minor: number; currency: string }>();
for (let i = 0; i < accountIds.length; i += 100) {
  const check = await billing.check_overdue_accounts({ account_ids: accountIds.slice(i, i + 100) });
  for (const a of check.overdue)
    overdue.set(a.account_id, { overdue_minor: a.overdue_minor, currency: a.currency });
}

// 4. Warehouse: reserve every draft order's stock, all lines or none, and confirm it in the ERP.
const reserved: string[] = [];
const shortOrders: Array<{ order_id: string; skus: string[] }> = [];
const shortBy = new Map<string, { sku: string; location_id: string; units: number }>();
for (const deal of deals) {
  const order = orderOf.get(deal.id)!;
  if (order.status !== "draft") continue;
  const reservation = await warehouse.reserve_stock({
    order_id: order.order_id,
    lines: deal.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
  });
  if (reservation.status === "short") {
    for (const s of reservation.shortages) {
      // An item no location stocks yet is ordered into the first warehouse.
      const location_id = s.best_location_id ?? "WH-01";
      const key = `${s.sku}@${location_id}`;
      shortBy.set(key, { sku: s.sku, location_id, units: (shortBy.get(key)?.units ?? 0) + s.short_by });
    }
    shortOrders.push({ order_id: order.order_id, skus: reservation.shortages.map((s) => s.sku) });
    continue;
  }
  await erp.confirm_sales_order({
    order_id: order.order_id,
    ...(reservation.single_location ? { location_id: reservation.single_location } : {}),
  });
  order.status = "confirmed";
  reserved.push(order.order_id);
}

// Purchase needs: what is short per SKU and location, less what was already ordered today (a re-run
// of this program finds its own purchase orders and orders nothing twice).
const purchaseOrders = new Map<string, string[]>();
for (const need of shortBy.values()) {
  // Page through every open order of the SKU: today's come last, and missing one would order twice.
  const today: Array<{ id: string; quantity: number }> = [];
  let cursor: string | undefined;
  do {
    const page = await erp.purchase_orders({
      sku: need.sku,
      status: "open",
      limit: 15,
      ...(cursor ? { cursor } : {}),
    });
    for (const po of page.orders) {
      if (po.order_date === page.as_of && po.location_id === need.location_id) today.push(po);
    }
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  const ordered = today.reduce((sum, po) => sum + po.quantity, 0);
  const ids = today.map((po) => po.id);
  if (ordered < need.units) {
    const supplier = await erp.supplier_lead_times({ sku: need.sku, limit: 1 });
    const po = await erp.create_purchase_order({
      supplier_id: supplier.item!.supplier_id,
      sku: need.sku,
      quantity: need.units - ordered,
      location_id: need.location_id,
    });
    ids.push(po.purchase_order_id);
  }
  purchaseOrders.set(need.sku, [...(purchaseOrders.get(need.sku) ?? []), ...ids]);
}
const backordered = shortOrders.map((o) => ({
  order_id: o.order_id,
  purchase_orders: [...new Set(o.skus.flatMap((sku) => purchaseOrders.get(sku) ?? []))],
}));

// 5. Ship every confirmed order of these deals, invoice it unless its account is overdue, then tell
// the ERP. The warehouse and the ERP are separate systems: the ERP reads an order as shipped only
// once record_shipment says so, and that comes last, so a run stopped halfway leaves the order
// confirmed and the next run finishes it (each step answers "already done" the second time).
const shipped: string[] = [];
const invoiced = new Map<string, string>();
const held: Array<{ order_id: string; account_id: string; overdue_minor: number; currency: string }> = [];
const confirmed = deals.filter((d) => orderOf.get(d.id)?.status === "confirmed");
// Billing answered under the CRM's account ids: find each order's account through its deal (on
// imported data the ERP's customer id is the ERP's own, not the CRM's).
const accountOfOrder = new Map(confirmed.map((d) => [orderOf.get(d.id)!.order_id, d.account_id]));
for (let i = 0; i < confirmed.length; i += 5) {
  const ids = confirmed.slice(i, i + 5).map((d) => orderOf.get(d.id)!.order_id);
  const status = await erp.order_status({ order_ids: ids });
  // A cut answer (over the tool's size budget) would silently skip orders: stop instead.
  if (status.orders.length !== ids.length)
    throw new Error(`order_status answered ${status.orders.length} of ${ids.length}`);
  for (const order of status.orders) {
    const shipment = await warehouse.create_shipment({
      order_id: order.id,
      customer_id: order.customer_id,
    });
    const account = accountOfOrder.get(order.id) ?? order.customer_id;
    const hold = overdue.get(account);
    if (hold) {
      held.push({ order_id: order.id, account_id: account, ...hold });
    } else {
      const invoice = await billing.invoice_order({
        order_id: order.id,
        account_id: order.customer_id,
        currency: order.currency as Currency,
        lines: order.lines,
        total_minor: order.total_minor,
      });
      if (!invoice.already_invoiced) invoiced.set(order.id, invoice.invoice_id);
    }
    await erp.record_shipment({
      order_id: order.id,
      ...(shipment.shipments[0] ? { shipped_on: shipment.shipments[0].shipped_on } : {}),
    });
    shipped.push(order.id);
  }
}

// 6. Who to tell: each deal owner with what happened to their deals.
const notify = new Map<string, string[]>();
const tell = (ownerId: string, line: string) => notify.set(ownerId, [...(notify.get(ownerId) ?? []), line]);
for (const deal of deals) {
  const order = orderOf.get(deal.id)!;
  const wait = backordered.find((b) => b.order_id === order.order_id);
  const hold = held.find((h) => h.order_id === order.order_id);
  if (wait)
    tell(deal.owner_id, `${deal.id}: ${order.order_id} waits for stock (${wait.purchase_orders.join(", ")})`);
  else if (hold)
    tell(
      deal.owner_id,
      `${deal.id}: ${order.order_id} shipped, not invoiced: account ${hold.account_id} is overdue`,
    );
  else if (invoiced.has(order.order_id)) {
    const how = created.includes(order.order_id)
      ? "created, reserved, shipped and invoiced"
      : "shipped and invoiced";
    tell(deal.owner_id, `${deal.id}: ${order.order_id} ${how} (${invoiced.get(order.order_id)})`);
  }
}

export default {
  period: PERIOD,
  deals_won: deals.length,
  orders_created: created,
  reserved,
  backordered,
  shipped,
  invoiced: [...invoiced.values()],
  held_for_overdue: held,
  notify: [...notify.entries()].map(([owner_id, lines]) => ({ owner_id, lines })),
};

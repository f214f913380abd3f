import type { Store } from "@toolpacks/pack-kit";
import type { WorldFacts } from "@toolpacks/world";

/** Row counts of the tables order to cash writes to; equal counts before and after a re-run mean no duplicates. */
export interface WriteCounts {
  salesOrders: number;
  salesOrderLines: number;
  purchaseOrders: number;
  invoices: number;
  invoiceLines: number;
}

const count = async (store: Store, sql: string, params: string[] = []) =>
  (await store.first<{ n: number }>(sql, params))?.n ?? 0;

/** Counts the rows of every table the order-to-cash program writes to. */
export async function writeCounts(store: Store): Promise<WriteCounts> {
  return {
    salesOrders: await count(store, "SELECT COUNT(*) AS n FROM erp_sales_orders"),
    salesOrderLines: await count(store, "SELECT COUNT(*) AS n FROM erp_sales_order_lines"),
    purchaseOrders: await count(store, "SELECT COUNT(*) AS n FROM erp_purchase_orders"),
    invoices: await count(store, "SELECT COUNT(*) AS n FROM billing_invoices"),
    invoiceLines: await count(store, "SELECT COUNT(*) AS n FROM billing_invoice_lines"),
  };
}

/**
 * Invoices of sales orders whose lines, total or currency differ from their order's: each row is one
 * mismatch, empty when every order invoice matches its order exactly.
 */
export async function invoiceMismatches(
  store: Store,
  orderIds: readonly string[],
): Promise<Array<{ order_id: string; problem: string }>> {
  const problems: Array<{ order_id: string; problem: string }> = [];
  for (const orderId of orderIds) {
    const invoice = await store.first<{ id: string; amount_minor: number; currency: string }>(
      "SELECT id, amount_minor, currency FROM billing_invoices WHERE sales_order_id = ?",
      [orderId],
    );
    const order = await store.first<{ total_minor: number; currency: string }>(
      "SELECT total_minor, currency FROM erp_sales_orders WHERE id = ?",
      [orderId],
    );
    if (!invoice || !order) {
      problems.push({ order_id: orderId, problem: invoice ? "no such order" : "no invoice" });
      continue;
    }
    if (invoice.currency !== order.currency)
      problems.push({ order_id: orderId, problem: "currency differs" });
    if (invoice.amount_minor !== order.total_minor)
      problems.push({ order_id: orderId, problem: "total differs" });
    const orderLines = await store.all<{ sku: string; quantity: number; unit_price_minor: number }>(
      "SELECT sku, quantity, unit_price_minor FROM erp_sales_order_lines WHERE order_id = ? ORDER BY line_no",
      [orderId],
    );
    const invoiceLines = await store.all<{ sku: string; quantity: number; unit_price_minor: number }>(
      "SELECT sku, quantity, unit_price_minor FROM billing_invoice_lines WHERE invoice_id = ? ORDER BY line_no",
      [invoice.id],
    );
    if (JSON.stringify(orderLines) !== JSON.stringify(invoiceLines)) {
      problems.push({ order_id: orderId, problem: "lines differ" });
    }
  }
  return problems;
}

/**
 * Accounts of the given invoices that had an overdue balance when they were invoiced: other
 * invoices of the account past due before `asOf` and not settled. Empty when the program skipped
 * every overdue account.
 */
export async function invoicedWhileOverdue(
  store: Store,
  invoiceIds: readonly string[],
  asOf: string,
): Promise<string[]> {
  if (invoiceIds.length === 0) return [];
  const rows = await store.all<{ account_id: string }>(
    `SELECT DISTINCT n.account_id FROM billing_invoices n
     WHERE n.id IN (${invoiceIds.map(() => "?").join(", ")})
       AND EXISTS (SELECT 1 FROM billing_invoices o
                   WHERE o.account_id = n.account_id AND o.id <> n.id AND o.due_on < ?
                     AND o.amount_paid_minor + o.amount_credited_minor < o.amount_minor)`,
    [...invoiceIds, asOf],
  );
  return rows.map((r) => r.account_id);
}

/** How a sales order stands after order to cash: reserved stock, or a purchase need for what is short. */
export interface OrderFulfilment {
  order_id: string;
  status: string;
  /** Units reserved per SKU by the order's active reservation (empty when none). */
  reserved: Record<string, number>;
  /** Units ordered per SKU on the order's lines. */
  ordered: Record<string, number>;
  /** Units per SKU of the order's reservation that left with a shipment (empty when none). */
  shipped: Record<string, number>;
}

/** Reads an order's lines, its active reservation and what shipped straight from the store. */
export async function orderFulfilment(store: Store, orderId: string): Promise<OrderFulfilment> {
  const order = await store.first<{ status: string }>("SELECT status FROM erp_sales_orders WHERE id = ?", [
    orderId,
  ]);
  const ordered: Record<string, number> = {};
  for (const l of await store.all<{ sku: string; quantity: number }>(
    "SELECT sku, quantity FROM erp_sales_order_lines WHERE order_id = ?",
    [orderId],
  )) {
    ordered[l.sku] = (ordered[l.sku] ?? 0) + l.quantity;
  }
  const unitsOf = async (status: "active" | "shipped") => {
    const units: Record<string, number> = {};
    for (const l of await store.all<{ sku: string; quantity: number }>(
      `SELECT l.sku, l.quantity FROM wh_reservation_lines l JOIN wh_reservations r ON r.id = l.reservation_id
       WHERE r.order_id = ? AND r.status = ?`,
      [orderId, status],
    )) {
      units[l.sku] = (units[l.sku] ?? 0) + l.quantity;
    }
    return units;
  };
  return {
    order_id: orderId,
    status: order?.status ?? "missing",
    reserved: await unitsOf("active"),
    ordered,
    shipped: await unitsOf("shipped"),
  };
}

/** The stores of the four packs (one store may hold several packs' tables). */
export interface PackStores {
  crm: Store;
  erp: Store;
  warehouse: Store;
  billing: Store;
}

/**
 * Reads the rows the world invariants check (`checkWorldInvariants` of `@toolpacks/world`) straight
 * from the packs' stores, as programs left them. `heldOrderIds` are the orders a program chose not
 * to invoice because their account was overdue.
 */
export async function storeFacts(
  stores: PackStores,
  heldOrderIds: readonly string[] = [],
): Promise<WorldFacts> {
  const { crm, erp, warehouse, billing } = stores;
  return {
    stock: await warehouse.all("SELECT sku, location_id, reserved FROM wh_stock"),
    reservations: await warehouse.all("SELECT id, order_id, status FROM wh_reservations"),
    reservationLines: await warehouse.all(
      "SELECT reservation_id, sku, location_id, quantity FROM wh_reservation_lines",
    ),
    items: await erp.all("SELECT sku FROM erp_items"),
    salesOrders: await erp.all("SELECT id, status FROM erp_sales_orders"),
    salesOrderLines: await erp.all("SELECT order_id, sku, quantity FROM erp_sales_order_lines"),
    purchaseOrders: await erp.all("SELECT id, sku, location_id, quantity, status FROM erp_purchase_orders"),
    movements: await warehouse.all(
      "SELECT id, kind, sku, location_id, quantity, reference FROM wh_movements",
    ),
    shipments: await warehouse.all("SELECT id, sales_order_id, location_id, units FROM wh_shipments"),
    invoices: await billing.all("SELECT id, sales_order_id FROM billing_invoices"),
    heldOrderIds,
    dealLines: await crm.all("SELECT deal_id, sku FROM crm_deal_lines"),
    deals: await crm.all("SELECT id, last_activity_at FROM crm_deals"),
    activities: await crm.all("SELECT deal_id, occurred_at FROM crm_activities"),
  };
}

/** Open purchase orders placed on `day` for a SKU (the purchase needs order to cash raised). */
export async function purchaseNeeds(store: Store, sku: string, day: string): Promise<number> {
  return count(
    store,
    "SELECT COUNT(*) AS n FROM erp_purchase_orders WHERE status = 'open' AND order_date = ? AND sku = ?",
    [day, sku],
  );
}

import type { Store } from "@toolpacks/pack-kit";

/** Row counts of the tables order to cash writes to; equal counts before and after a re-run mean no duplicates. */
export interface WriteCounts {
  salesOrders: number;
  salesOrderLines: number;
  purchaseOrders: number;
  invoices: number;
  invoiceLines: number;
}

const count = async (store: Store, sql: string) => (await store.first<{ n: number }>(sql))?.n ?? 0;

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
 * Accounts that got a sales-order invoice on `issuedOn` while they had an overdue balance: invoices
 * past due (before `asOf`) and not settled. Empty when the program skipped every overdue account.
 */
export async function invoicedWhileOverdue(store: Store, issuedOn: string, asOf: string): Promise<string[]> {
  const rows = await store.all<{ account_id: string }>(
    `SELECT DISTINCT n.account_id FROM billing_invoices n
     WHERE n.sales_order_id IS NOT NULL AND n.issued_on = ?
       AND EXISTS (SELECT 1 FROM billing_invoices o
                   WHERE o.account_id = n.account_id AND o.id <> n.id AND o.due_on < ?
                     AND o.amount_paid_minor + o.amount_credited_minor < o.amount_minor)`,
    [issuedOn, asOf],
  );
  return rows.map((r) => r.account_id);
}

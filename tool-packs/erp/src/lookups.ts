import { type ReadStore, ToolError } from "@toolpacks/pack-kit";

/** The columns of a customer that the write tools check. */
export interface CustomerRow {
  id: string;
  name: string;
  currency: string;
  credit_limit_minor: number;
}

/** Loads a customer or throws ToolError `not_found` with a way to find the right id. */
export async function requireCustomer(store: ReadStore, customerId: string): Promise<CustomerRow> {
  const row = await store.first<CustomerRow>(
    "SELECT id, name, currency, credit_limit_minor FROM erp_customers WHERE id = ?",
    [customerId],
  );
  if (!row) {
    throw new ToolError("not_found", `No ERP customer has id "${customerId}".`, {
      fix: "use the deal's account_id from the CRM (customer ids equal CRM account ids, e.g. C-000042).",
    });
  }
  return row;
}

/** The stored header of a sales order. */
export interface OrderRow {
  id: string;
  deal_id: string;
  customer_id: string;
  status: "draft" | "confirmed" | "shipped";
  order_date: string;
  currency: string;
  total_minor: number;
  location_id: string | null;
  ship_date: string | null;
}

/** Columns selected for `OrderRow`. */
export const ORDER_COLUMNS =
  "id, deal_id, customer_id, status, order_date, currency, total_minor, location_id, ship_date";

/** Loads a sales order or throws ToolError `not_found`. */
export async function requireOrder(store: ReadStore, orderId: string): Promise<OrderRow> {
  const row = await store.first<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM erp_sales_orders WHERE id = ?`, [
    orderId,
  ]);
  if (!row) {
    throw new ToolError("not_found", `No sales order has id "${orderId}".`, {
      fix: "take an order id from open_orders or orders_for_deals (ids look like SO-0000042).",
    });
  }
  return row;
}

/** Checks a warehouse location exists or throws ToolError `not_found` listing the valid ids. */
export async function requireLocation(store: ReadStore, locationId: string): Promise<void> {
  const rows = await store.all<{ id: string }>("SELECT id FROM erp_locations ORDER BY id");
  if (!rows.some((r) => r.id === locationId)) {
    throw new ToolError("not_found", `No warehouse location has id "${locationId}".`, {
      fix: `use one of ${rows.map((r) => r.id).join(", ")}.`,
    });
  }
}

/** The ISO date `days` after `iso`. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso.slice(0, 10)) + days * 86_400_000).toISOString().slice(0, 10);
}

import { type ReadStore, resolveIdentities, ToolError } from "@toolpacks/pack-kit";
import type { Rows } from "./tables.js";

/** The columns of a customer that the write tools check. */
export type CustomerRow = Pick<Rows["erp_customers"], "id" | "name" | "currency" | "credit_limit_minor">;

/**
 * The ERP customer id for a customer id another pack gave: itself when the ERP has it, else the
 * one ERP customer the identity map ties it to (imported stores: a CRM account `hs:C-123` is the
 * Odoo partner `Northwind, Inc.`), else the id unchanged (so the caller reports it unknown).
 */
export async function ownCustomerId(store: ReadStore, customerId: string): Promise<string> {
  if (await store.first("SELECT id FROM erp_customers WHERE id = ?", [customerId])) return customerId;
  const own = (await resolveIdentities(store, "customer", "erp", [customerId])).get(customerId) ?? [];
  if (own.length > 1) {
    throw new ToolError(
      "ambiguous_customer",
      `Customer ${customerId} is tied to ${own.length} ERP customers (${own.join(", ")}) by the identity map; nothing was written.`,
      {
        fix: `send one of ${own.join(", ")}, or tie the records with explicit pairs and rebuild the identity map.`,
      },
    );
  }
  return own[0] ?? customerId;
}

/**
 * The values an order's deal_id may hold for a CRM deal: the deal id itself, and the deal's id in
 * its CRM as the ERP export wrote it (Odoo's Source Document holds HubSpot's Record ID), which the
 * identity map's copy of the CRM deals records in `erp_deals.ref`.
 */
export async function dealKeys(store: ReadStore, dealIds: readonly string[]): Promise<Map<string, string>> {
  const keys = new Map(dealIds.map((id) => [id, id] as const));
  for (let i = 0; i < dealIds.length; i += 90) {
    const chunk = dealIds.slice(i, i + 90);
    const refs = await store.all<{ id: string; ref: string }>(
      `SELECT id, ref FROM erp_deals WHERE ref IS NOT NULL AND id IN (${chunk.map(() => "?").join(", ")})`,
      chunk,
    );
    for (const r of refs) if (!keys.has(r.ref)) keys.set(r.ref, r.id);
  }
  return keys;
}

/** Loads a customer (another pack's id resolves through the identity map) or throws ToolError `not_found`. */
export async function requireCustomer(store: ReadStore, customerId: string): Promise<CustomerRow> {
  const row = await store.first<CustomerRow>(
    "SELECT id, name, currency, credit_limit_minor FROM erp_customers WHERE id = ?",
    [await ownCustomerId(store, customerId)],
  );
  if (!row) {
    throw new ToolError("not_found", `No ERP customer has id "${customerId}".`, {
      fix: "use the deal's account_id from the CRM (customer ids equal CRM account ids, e.g. C-000042).",
    });
  }
  return row;
}

/** The stored header of a sales order. */
export type OrderRow = Pick<
  Rows["erp_sales_orders"],
  "id" | "deal_id" | "customer_id" | "order_date" | "currency" | "total_minor" | "location_id" | "ship_date"
> & { status: Rows["erp_sales_orders"]["status"] & ("draft" | "confirmed" | "shipped") };

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

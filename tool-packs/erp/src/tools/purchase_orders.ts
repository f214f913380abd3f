import { defineTool, nextCursorSchema, pageInputShape, queryPage, type SqlValue } from "@toolpacks/pack-kit";
import type { Currency } from "@toolpacks/world";
import { z } from "zod";
import { PO_TOTALS_SQL } from "../po-totals.js";
import {
  minor,
  poStatusSchema,
  reportingCurrency,
  skuSchema,
  supplierIdSchema,
  UsdTotals,
} from "../schemas.js";
import type { Rows } from "../tables.js";

type PoRow = Pick<
  Rows["erp_purchase_orders"],
  | "id"
  | "supplier_id"
  | "sku"
  | "location_id"
  | "quantity"
  | "unit_cost_minor"
  | "currency"
  | "order_date"
  | "expected_date"
> & { status: PoStatus };

type PoStatus = Rows["erp_purchase_orders"]["status"] & ("open" | "received" | "cancelled");

// Grouped by stored columns, with the figures a GROUP BY (or the rollup) computes.
type StatusCurrencyRow = Pick<Rows["erp_po_totals"], "orders" | "units" | "value_minor"> & {
  status: PoStatus;
  currency: Rows["erp_po_totals"]["currency"] & Currency;
};

/** Purchase orders by status with the open ones due first. */
export const purchaseOrders = defineTool({
  name: "purchase_orders",
  title: "Purchase orders",
  description:
    "Returns purchase orders to suppliers, as of the ERP's date: count, units and USD value per status (open, " +
    "received, cancelled) and how many open ones are overdue (expected date before as_of), then the orders " +
    "of one status (default open) soonest expected first: supplier, SKU, location, quantity, unit cost in the " +
    "supplier's currency (integer cents), order and expected dates. Filter by supplier, SKU or overdue only. " +
    "Page with next_cursor. Supplier lead times: supplier_lead_times.",
  input: z.object({
    status: poStatusSchema.default("open").describe("which orders to list (totals cover every status)"),
    supplier_id: supplierIdSchema.optional(),
    sku: skuSchema.optional(),
    overdue_only: z.boolean().default(false).describe("only open orders whose expected date is before as_of"),
    ...pageInputShape({ defaultLimit: 5, maxLimit: 15 }),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
    by_status: z.array(
      z.object({
        status: poStatusSchema,
        orders: z.number().int(),
        units: z.number().int(),
        value_usd_minor: minor,
      }),
    ),
    overdue_open: z.number().int().describe("open orders past their expected date"),
    orders: z.array(
      z.object({
        id: z.string(),
        supplier_id: z.string(),
        sku: z.string(),
        location_id: z.string(),
        quantity: z.number().int(),
        unit_cost_minor: minor,
        currency: z.string(),
        order_date: z.string(),
        expected_date: z.string(),
        status: poStatusSchema,
        overdue: z.boolean(),
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "erp:read",
  budgetTokens: 1600,
  examples: [{}, { status: "received", limit: 3 }, { supplier_id: "SUP-001" }, { sku: "SKU-00001" }],
  async handler({ status, supplier_id, sku, overdue_only, limit, cursor }, { store, asOf }) {
    let filter = "";
    const params: SqlValue[] = [];
    if (supplier_id) {
      filter += " AND supplier_id = ?";
      params.push(supplier_id);
    }
    if (sku) {
      filter += " AND sku = ?";
      params.push(sku);
    }
    // Unfiltered totals from the rollup (a row per status and currency); a supplier's or SKU's
    // orders are an index range, grouped here.
    const rows = filter
      ? await store.all<StatusCurrencyRow>(
          `SELECT status, currency, COUNT(*) AS orders, SUM(quantity) AS units, SUM(quantity * unit_cost_minor) AS value_minor
         FROM erp_purchase_orders WHERE 1 = 1${filter} GROUP BY status, currency ORDER BY status`,
          params,
        )
      : await store.all<StatusCurrencyRow>(PO_TOTALS_SQL);
    // Open orders past their expected date: one range of the (status, expected_date) index.
    const overdue = await store.first<{ overdue: number }>(
      `SELECT COUNT(*) AS overdue FROM erp_purchase_orders WHERE status = 'open' AND expected_date < ?${filter}`,
      [asOf, ...params],
    );
    // Each status converts its own per-currency values once (the rule reporting_currency states).
    const usd = new UsdTotals<string>();
    const byStatus: Array<Omit<StatusCurrencyRow, "currency" | "value_minor"> & { value_usd_minor: number }> =
      [];
    for (const r of rows) {
      usd.add(r.status, r.currency, r.value_minor);
      let entry = byStatus.find((b) => b.status === r.status);
      if (!entry) {
        entry = { status: r.status, orders: 0, units: 0, value_usd_minor: 0 };
        byStatus.push(entry);
      }
      entry.orders += r.orders;
      entry.units += r.units;
    }
    for (const b of byStatus) b.value_usd_minor = usd.usd(b.status);
    let listWhere = `FROM erp_purchase_orders WHERE status = ?${filter}`;
    const listParams: SqlValue[] = [status, ...params];
    if (overdue_only) {
      listWhere += " AND status = 'open' AND expected_date < ?";
      listParams.push(asOf);
    }
    const page = await queryPage<PoRow>(
      store,
      `SELECT id, supplier_id, sku, location_id, quantity, unit_cost_minor, currency, order_date, expected_date, status ${listWhere} ORDER BY expected_date, id`,
      listParams,
      { limit, cursor },
      { status, supplier_id, sku, overdue_only },
    );
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      by_status: byStatus,
      overdue_open: overdue?.overdue ?? 0,
      orders: page.items.map((po) => ({ ...po, overdue: po.status === "open" && po.expected_date < asOf })),
      next_cursor: page.next_cursor,
    };
  },
});

import {
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  type ReadStore,
  trailingDays,
} from "@toolpacks/pack-kit";
import type { Currency } from "@toolpacks/world";
import { z } from "zod";
import { requireCustomer } from "../lookups.js";
import { customerIdSchema, minor, reportingCurrency, UsdTotals } from "../schemas.js";
import type { Rows } from "../tables.js";

const stageCount = z.object({
  orders: z.number().int(),
  amount_minor: minor.describe("in the customer's currency"),
});

const customerStatus = z.object({
  customer_id: z.string(),
  name: z.string(),
  currency: z.string().describe("currency of every *_minor amount of this customer"),
  draft: stageCount.describe("orders created, not confirmed"),
  confirmed: stageCount.describe("orders confirmed, waiting to ship"),
  shipped_90d: stageCount.describe("orders shipped in the 90 days up to as_of"),
  late_orders: z.number().int().describe("confirmed orders past their planned ship date"),
  oldest_open_order_date: z.string().nullable(),
  last_ship_date: z.string().nullable(),
  credit_limit_minor: minor,
  credit_headroom_minor: minor.describe(
    "credit limit minus open (draft + confirmed) amount; negative = over limit",
  ),
});

// A customer's stored columns, and the per-status order figures this query computes.
type StatusRow = Pick<Rows["erp_customers"], "name" | "currency" | "credit_limit_minor"> & {
  customer_id: Rows["erp_customers"]["id"];
  draft_orders: number;
  draft_minor: number;
  confirmed_orders: number;
  confirmed_minor: number;
  shipped_orders: number;
  shipped_minor: number;
  late_orders: number;
  oldest_open: string | null;
  last_ship: string | null;
};

// One pass over one customer's orders (index on customer_id, status) gives every figure.
const PER_CUSTOMER = `
  SELECT c.id AS customer_id, c.name, c.currency, c.credit_limit_minor,
    COALESCE(SUM(CASE WHEN o.status = 'draft' THEN 1 ELSE 0 END), 0) AS draft_orders,
    COALESCE(SUM(CASE WHEN o.status = 'draft' THEN o.total_minor END), 0) AS draft_minor,
    COALESCE(SUM(CASE WHEN o.status = 'confirmed' THEN 1 ELSE 0 END), 0) AS confirmed_orders,
    COALESCE(SUM(CASE WHEN o.status = 'confirmed' THEN o.total_minor END), 0) AS confirmed_minor,
    COALESCE(SUM(CASE WHEN o.status = 'shipped' AND o.ship_date >= ? THEN 1 ELSE 0 END), 0) AS shipped_orders,
    COALESCE(SUM(CASE WHEN o.status = 'shipped' AND o.ship_date >= ? THEN o.total_minor END), 0) AS shipped_minor,
    COALESCE(SUM(CASE WHEN o.status = 'confirmed' AND o.ship_date < ? THEN 1 ELSE 0 END), 0) AS late_orders,
    MIN(CASE WHEN o.status <> 'shipped' THEN o.order_date END) AS oldest_open,
    MAX(CASE WHEN o.status = 'shipped' THEN o.ship_date END) AS last_ship
  FROM erp_customers c LEFT JOIN erp_sales_orders o ON o.customer_id = c.id`;

function view(row: StatusRow): z.infer<typeof customerStatus> {
  return {
    customer_id: row.customer_id,
    name: row.name,
    currency: row.currency,
    draft: { orders: row.draft_orders, amount_minor: row.draft_minor },
    confirmed: { orders: row.confirmed_orders, amount_minor: row.confirmed_minor },
    shipped_90d: { orders: row.shipped_orders, amount_minor: row.shipped_minor },
    late_orders: row.late_orders,
    oldest_open_order_date: row.oldest_open,
    last_ship_date: row.last_ship,
    credit_limit_minor: row.credit_limit_minor,
    credit_headroom_minor: row.credit_limit_minor - row.draft_minor - row.confirmed_minor,
  };
}

async function statusRows(store: ReadStore, customerIds: string[], asOf: string): Promise<StatusRow[]> {
  if (customerIds.length === 0) return [];
  const { from } = trailingDays(asOf, 90);
  const rows = await store.all<StatusRow>(
    `${PER_CUSTOMER} WHERE c.id IN (${customerIds.map(() => "?").join(", ")}) GROUP BY c.id`,
    [from, from, asOf, ...customerIds],
  );
  const byId = new Map(rows.map((r) => [r.customer_id, r]));
  return customerIds.map((id) => byId.get(id)!).filter(Boolean);
}

/** Where each customer's orders stand between deal and shipment. */
export const orderToCashByCustomer = defineTool({
  name: "order_to_cash_by_customer",
  title: "Order-to-cash status per customer",
  description:
    "Returns where a customer's orders stand between deal and shipment, as of the ERP's date: draft and confirmed " +
    "orders (count, amount), orders shipped in the last 90 days, late orders, oldest open order, last ship " +
    "date and credit headroom (credit limit minus open amount), all in the customer's currency (integer " +
    "cents). With customer_id: that customer. Without: customers ranked by open amount in USD, with totals " +
    "over all customers and next_cursor. Invoices and payments are in the billing pack.",
  input: z.object({
    customer_id: customerIdSchema.optional(),
    ...pageInputShape({ defaultLimit: 5, maxLimit: 10 }),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
    totals: z.object({
      customers_with_open_orders: z.number().int(),
      open_orders: z.number().int(),
      open_amount_usd_minor: minor,
      late_orders: z.number().int(),
      customers_over_credit_limit: z.number().int(),
    }),
    customers: z.array(customerStatus),
    next_cursor: nextCursorSchema,
  }),
  scope: "erp:read",
  budgetTokens: 1800,
  examples: [{}, { customer_id: "C-000001" }, { limit: 2 }],
  async handler({ customer_id, limit, cursor }, { store, asOf }) {
    if (customer_id) {
      await requireCustomer(store, customer_id);
      decodeCursor(cursor, { customer_id });
    }
    // Open amount per customer, ranked; open orders are the small, indexed part of the table.
    const open = await store.all<{
      customer_id: string;
      currency: Currency;
      orders: number;
      amount_minor: number;
      late: number;
      credit_limit_minor: number;
    }>(
      `SELECT o.customer_id, c.currency, COUNT(*) AS orders, SUM(o.total_usd_minor) AS amount_usd_minor,
         SUM(o.total_minor) AS amount_minor, SUM(CASE WHEN o.status = 'confirmed' AND o.ship_date < ? THEN 1 ELSE 0 END) AS late,
         c.credit_limit_minor
       FROM erp_sales_orders o JOIN erp_customers c ON c.id = o.customer_id
       WHERE o.status IN ('draft', 'confirmed') ${customer_id ? "AND o.customer_id = ?" : ""}
       GROUP BY o.customer_id, c.currency, c.credit_limit_minor ORDER BY amount_usd_minor DESC, o.customer_id`,
      customer_id ? [asOf, customer_id] : [asOf],
    );
    // The total converts each currency's open amount once (the rule reporting_currency states).
    const usd = new UsdTotals<0>();
    for (const r of open) usd.add(0, r.currency, r.amount_minor);
    const totals = {
      customers_with_open_orders: open.length,
      open_orders: open.reduce((s, r) => s + r.orders, 0),
      open_amount_usd_minor: usd.usdAll(),
      late_orders: open.reduce((s, r) => s + r.late, 0),
      customers_over_credit_limit: open.filter((r) => r.amount_minor > r.credit_limit_minor).length,
    };
    if (customer_id) {
      const rows = await statusRows(store, [customer_id], asOf);
      return {
        as_of: asOf,
        reporting_currency: "USD" as const,
        totals,
        customers: rows.map(view),
        next_cursor: null,
      };
    }
    const offset = decodeCursor(cursor, {});
    const ids = open.slice(offset, offset + limit).map((r) => r.customer_id);
    const rows = await statusRows(store, ids, asOf);
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      totals,
      customers: rows.map(view),
      next_cursor: offset + limit < open.length ? encodeCursor(offset + limit, {}) : null,
    };
  },
});

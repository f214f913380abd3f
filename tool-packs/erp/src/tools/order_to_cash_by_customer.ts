import {
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  type ReadStore,
  sqlFor,
  trailingDays,
} from "@toolpacks/pack-kit";
import type { Currency } from "@toolpacks/world";
import { z } from "zod";
import { requireCustomer } from "../lookups.js";
import { rankedOpenCustomersSql } from "../open-orders-by-customer.js";
import { customerIdSchema, minor, placeholders, reportingCurrency, UsdTotals } from "../schemas.js";
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

const totalsSchema = z.object({
  customers_with_open_orders: z.number().int(),
  open_orders: z.number().int(),
  open_amount_usd_minor: minor,
  late_orders: z.number().int(),
  customers_over_credit_limit: z.number().int(),
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
  // The asked ids once more on the orders: without it Postgres may hash-join every order of the
  // table to the few customers asked (a full scan) instead of reading each one's orders by index.
  const rows = await store.all<StatusRow>(
    `${PER_CUSTOMER} AND o.customer_id IN (${placeholders(customerIds)}) WHERE c.id IN (${placeholders(customerIds)}) GROUP BY c.id`,
    [from, from, asOf, ...customerIds, ...customerIds],
  );
  const byId = new Map(rows.map((r) => [r.customer_id, r]));
  return customerIds.map((id) => byId.get(id)!).filter(Boolean);
}

type Totals = z.infer<typeof totalsSchema>;

// Per customer currency: customers with open orders, their open orders and native amount, and
// how many of them owe more than their credit limit.
type CurrencyTotalsRow = Pick<Rows["erp_open_by_customer"], "orders" | "amount_minor"> & {
  currency: NonNullable<Rows["erp_open_by_customer"]["currency"]> & Currency;
  customers: number;
  over_limit: number;
};

/** Confirmed orders past their planned ship date: one range of the (status, ship_date) index. */
async function lateOrders(store: ReadStore, asOf: string, customerId?: string): Promise<number> {
  const late = await store.first<{ late: number }>(
    `SELECT COUNT(*) AS late FROM erp_sales_orders WHERE status = 'confirmed' AND ship_date < ?${customerId ? " AND customer_id = ?" : ""}`,
    customerId ? [asOf, customerId] : [asOf],
  );
  return late?.late ?? 0;
}

// Over the per-customer rollup alone (it carries each customer's currency and credit limit).
const TOTALS = `SELECT currency, COUNT(*) AS customers, SUM(orders) AS orders, SUM(amount_minor) AS amount_minor,
    SUM(CASE WHEN amount_minor > credit_limit_minor THEN 1 ELSE 0 END) AS over_limit
  FROM erp_open_by_customer WHERE currency IS NOT NULL`;

/** The totals over every customer: one pass over the rollup's rows (a customer with open orders each). */
async function allTotals(store: ReadStore, asOf: string): Promise<Totals> {
  const rows = await store.all<CurrencyTotalsRow>(`${TOTALS} GROUP BY currency`);
  return totalsOf(rows, await lateOrders(store, asOf));
}

/** The totals of one customer, from its rollup row (none when it has no open order). */
async function customerTotals(store: ReadStore, customerId: string, asOf: string): Promise<Totals> {
  const rows = await store.all<CurrencyTotalsRow>(`${TOTALS} AND customer_id = ? GROUP BY currency`, [
    customerId,
  ]);
  return totalsOf(rows, rows.length ? await lateOrders(store, asOf, customerId) : 0);
}

function totalsOf(rows: CurrencyTotalsRow[], late: number): Totals {
  // The total converts each currency's open amount once (the rule reporting_currency states).
  const usd = new UsdTotals<0>();
  for (const r of rows) usd.add(0, r.currency, r.amount_minor);
  return {
    customers_with_open_orders: rows.reduce((s, r) => s + r.customers, 0),
    open_orders: rows.reduce((s, r) => s + r.orders, 0),
    open_amount_usd_minor: usd.usdAll(),
    late_orders: late,
    customers_over_credit_limit: rows.reduce((s, r) => s + r.over_limit, 0),
  };
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
    totals: totalsSchema,
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
      const totals = await customerTotals(store, customer_id, asOf);
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
    // The page in rank order from the per-customer rollup's index: limit + 1 rows tell whether
    // another page follows, whatever the number of customers.
    const ranked = await store.all<Pick<Rows["erp_open_by_customer"], "customer_id">>(
      rankedOpenCustomersSql(undefined, sqlFor(store.dialect).indexedBy),
      [limit + 1, offset],
    );
    const rows = await statusRows(
      store,
      ranked.slice(0, limit).map((r) => r.customer_id),
      asOf,
    );
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      totals: await allTotals(store, asOf),
      customers: rows.map(view),
      next_cursor: ranked.length > limit ? encodeCursor(offset + limit, {}) : null,
    };
  },
});

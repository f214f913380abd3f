import { defineTool, nextCursorSchema, pageInputShape, queryPage, type SqlValue } from "@toolpacks/pack-kit";
import { z } from "zod";
import { customerIdSchema, minor, OPEN_ORDER_STATUSES, reportingCurrency } from "../schemas.js";
import { isLate } from "./order-view.js";

const openStatus = z.enum(OPEN_ORDER_STATUSES);

interface OpenOrderRow {
  id: string;
  deal_id: string;
  customer_id: string;
  status: "draft" | "confirmed";
  order_date: string;
  ship_date: string | null;
  currency: string;
  total_minor: number;
}

/** Orders not shipped yet, by status and customer, oldest first. */
export const openOrders = defineTool({
  name: "open_orders",
  title: "Open sales orders",
  description:
    "Returns the sales orders not shipped yet (draft or confirmed), as of the ERP's date: counts and USD totals per " +
    "status (with how many confirmed orders are late), the top 5 customers by open amount, and the orders " +
    "oldest first (id, deal, customer, status, dates, total in the order's currency). Filter by status, " +
    "customer or late only. Page with next_cursor.",
  input: z.object({
    status: openStatus.optional().describe("only draft or only confirmed orders"),
    customer_id: customerIdSchema.optional(),
    late_only: z.boolean().default(false).describe("only confirmed orders past their planned ship date"),
    ...pageInputShape({ defaultLimit: 5, maxLimit: 15 }),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
    totals: z.object({ orders: z.number().int(), amount_usd_minor: minor, late: z.number().int() }),
    by_status: z.array(
      z.object({
        status: openStatus,
        orders: z.number().int(),
        amount_usd_minor: minor,
        late: z.number().int(),
      }),
    ),
    top_customers: z.array(
      z.object({
        customer_id: z.string(),
        name: z.string(),
        orders: z.number().int(),
        amount_usd_minor: minor,
      }),
    ),
    orders: z.array(
      z.object({
        id: z.string(),
        deal_id: z.string(),
        customer_id: z.string(),
        status: openStatus,
        order_date: z.string(),
        ship_date: z.string().nullable(),
        late: z.boolean(),
        total_minor: minor,
        currency: z.string(),
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "erp:read",
  budgetTokens: 1500,
  examples: [{}, { status: "confirmed", limit: 3 }, { late_only: true }, { customer_id: "C-000001" }],
  async handler({ status, customer_id, late_only, limit, cursor }, { store, asOf }) {
    const statuses = status ? [status] : [...OPEN_ORDER_STATUSES];
    let where = `FROM erp_sales_orders o WHERE o.status IN (${statuses.map(() => "?").join(", ")})`;
    const params: SqlValue[] = [...statuses];
    if (customer_id) {
      where += " AND o.customer_id = ?";
      params.push(customer_id);
    }
    if (late_only) {
      where += " AND o.status = 'confirmed' AND o.ship_date < ?";
      params.push(asOf);
    }
    const lateSql = "SUM(CASE WHEN o.status = 'confirmed' AND o.ship_date < ? THEN 1 ELSE 0 END)";
    const byStatus = await store.all<{
      status: "draft" | "confirmed";
      orders: number;
      amount_usd_minor: number;
      late: number;
    }>(
      `SELECT o.status, COUNT(*) AS orders, SUM(o.total_usd_minor) AS amount_usd_minor, ${lateSql} AS late ${where} GROUP BY o.status ORDER BY o.status DESC`,
      [asOf, ...params],
    );
    const topCustomers = await store.all<{
      customer_id: string;
      name: string;
      orders: number;
      amount_usd_minor: number;
    }>(
      `SELECT o.customer_id, c.name, COUNT(*) AS orders, SUM(o.total_usd_minor) AS amount_usd_minor ${where.replace(
        "FROM erp_sales_orders o",
        "FROM erp_sales_orders o JOIN erp_customers c ON c.id = o.customer_id",
      )} GROUP BY o.customer_id ORDER BY amount_usd_minor DESC, o.customer_id LIMIT 5`,
      params,
    );
    const page = await queryPage<OpenOrderRow>(
      store,
      `SELECT o.id, o.deal_id, o.customer_id, o.status, o.order_date, o.ship_date, o.currency, o.total_minor ${where} ORDER BY o.order_date, o.id`,
      params,
      { limit, cursor },
      { status, customer_id, late_only },
    );
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      totals: {
        orders: byStatus.reduce((s, r) => s + r.orders, 0),
        amount_usd_minor: byStatus.reduce((s, r) => s + r.amount_usd_minor, 0),
        late: byStatus.reduce((s, r) => s + r.late, 0),
      },
      by_status: byStatus,
      top_customers: topCustomers,
      orders: page.items.map((o) => ({ ...o, late: isLate(o, asOf) })),
      next_cursor: page.next_cursor,
    };
  },
});

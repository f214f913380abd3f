import {
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  periodOutput,
  periodSchema,
  resolvePeriod,
  type SqlValue,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { minor, placeholders, reportingCurrency, skuSchema } from "../schemas.js";

const SORTS = {
  margin_usd_desc: "margin_usd_minor DESC",
  margin_pct_asc: "margin_pct ASC",
  revenue_usd_desc: "revenue_usd_minor DESC",
} as const;

interface ItemRow {
  sku: string;
  name: string;
  category: string;
  unit_cost_minor: number;
  list_price_minor: number;
  units: number;
  revenue_usd_minor: number;
  cost_usd_minor: number;
  margin_usd_minor: number;
  margin_pct: number | null;
}

const pct = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

/** Item cost, list margin and realised margin on orders booked in a period. */
export const itemMargins = defineTool({
  name: "item_margins",
  title: "Item cost and margin",
  description:
    "Returns item standard cost and list price (USD cents) with list margin, and the margin realised on sales " +
    "orders booked in a period (default: the quarter of the ERP's date): units, revenue, cost and gross " +
    "margin in USD cents and margin %. Totals over the period, then items ranked by margin (default), margin % " +
    "ascending (worst first) or revenue. Filter by SKUs (shown even without sales) or category. Page with next_cursor.",
  input: z.object({
    period: periodSchema.optional(),
    skus: z.array(skuSchema).min(1).max(25).optional().describe("only these items"),
    category: z.string().min(1).max(64).optional().describe("only this item category, e.g. Pumps"),
    sort: z
      .enum(["margin_usd_desc", "margin_pct_asc", "revenue_usd_desc"])
      .default("margin_usd_desc")
      .describe("ranking: margin in USD (default), margin % worst first, or revenue"),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 15 }),
  }),
  output: z.object({
    as_of: z.string(),
    period: periodOutput,
    reporting_currency: reportingCurrency,
    totals: z.object({
      items_sold: z.number().int(),
      units: z.number().int(),
      revenue_usd_minor: minor,
      cost_usd_minor: minor,
      margin_usd_minor: minor,
      margin_pct: z.number().nullable(),
    }),
    items: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        category: z.string(),
        unit_cost_minor: minor.describe("standard cost, USD"),
        list_price_minor: minor.describe("list price, USD"),
        list_margin_pct: z.number().nullable(),
        units: z.number().int(),
        revenue_usd_minor: minor,
        cost_usd_minor: minor,
        margin_usd_minor: minor,
        margin_pct: z.number().nullable(),
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "erp:read",
  budgetTokens: 1800,
  examples: [
    {},
    { sort: "margin_pct_asc", limit: 3 },
    { skus: ["SKU-00001", "SKU-00002"] },
    { period: "2026-05" },
  ],
  async handler({ period, skus, category, sort, limit, cursor }, { store, asOf }) {
    const resolved = resolvePeriod(period, asOf, "quarter");
    let itemWhere = "WHERE 1 = 1";
    const itemParams: SqlValue[] = [];
    if (skus) {
      itemWhere += ` AND i.sku IN (${placeholders(skus)})`;
      itemParams.push(...skus);
    }
    if (category) {
      itemWhere += " AND i.category = ?";
      itemParams.push(category);
    }
    // Sales per SKU in the period: one range scan of a covering index on the lines.
    const soldSql = `SELECT sku, SUM(quantity) AS units, SUM(amount_usd_minor) AS revenue, SUM(cost_usd_minor) AS cost
      FROM erp_sales_order_lines WHERE order_date BETWEEN ? AND ? GROUP BY sku`;
    const from = `FROM erp_items i ${skus ? "LEFT " : ""}JOIN (${soldSql}) s ON s.sku = i.sku ${itemWhere}`;
    const params: SqlValue[] = [resolved.from, resolved.to, ...itemParams];
    // One pass: every matching item with its period sales (at most one row per item), then
    // totals, ranking and the page from that list, so the join over the period runs once.
    const offset = decodeCursor(cursor, { period: resolved.label, skus, category, sort });
    const rows = await store.all<ItemRow>(
      `SELECT i.sku, i.name, i.category, i.unit_cost_minor, i.list_price_minor,
         COALESCE(s.units, 0) AS units, COALESCE(s.revenue, 0) AS revenue_usd_minor, COALESCE(s.cost, 0) AS cost_usd_minor,
         COALESCE(s.revenue - s.cost, 0) AS margin_usd_minor,
         CASE WHEN s.revenue > 0 THEN (s.revenue - s.cost) * 1.0 / s.revenue END AS margin_pct
       ${from} ORDER BY ${SORTS[sort]}, i.sku`,
      params,
    );
    const sold = rows.filter((r) => r.units > 0);
    const revenue = sold.reduce((sum, r) => sum + r.revenue_usd_minor, 0);
    const cost = sold.reduce((sum, r) => sum + r.cost_usd_minor, 0);
    const page = rows.slice(offset, offset + limit);
    const totals = { items_sold: sold.length, units: sold.reduce((sum, r) => sum + r.units, 0) };
    return {
      as_of: asOf,
      period: resolved,
      reporting_currency: "USD" as const,
      totals: {
        ...totals,
        revenue_usd_minor: revenue,
        cost_usd_minor: cost,
        margin_usd_minor: revenue - cost,
        margin_pct: pct(revenue - cost, revenue),
      },
      items: page.map((i) => ({
        ...i,
        list_margin_pct: pct(i.list_price_minor - i.unit_cost_minor, i.list_price_minor),
        margin_pct: pct(i.margin_usd_minor, i.revenue_usd_minor),
      })),
      next_cursor:
        offset + limit < rows.length
          ? encodeCursor(offset + limit, { period: resolved.label, skus, category, sort })
          : null,
    };
  },
});

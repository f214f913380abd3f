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
import type { Currency } from "@toolpacks/world";
import { z } from "zod";
import { minor, placeholders, reportingCurrency, skuSchema, UsdTotals } from "../schemas.js";
import type { Rows } from "../tables.js";

// An item's stored columns; the query renames its cost and price (USD in the generated world).
type ItemRow = Pick<Rows["erp_items"], "sku" | "name" | "category"> & {
  unit_cost_usd_minor: Rows["erp_items"]["unit_cost_minor"];
  list_price_usd_minor: Rows["erp_items"]["list_price_minor"];
};

type Ranked = ItemRow & {
  units: number;
  revenue_usd_minor: number;
  cost_usd_minor: number;
  margin_usd_minor: number;
  margin_ratio: number | null;
};

/** Rankings; a tie (and, worst first, an item without revenue) falls back to the SKU. */
const SORTS: Record<
  "margin_usd_desc" | "margin_pct_asc" | "revenue_usd_desc",
  (a: Ranked, b: Ranked) => number
> = {
  margin_usd_desc: (a, b) => b.margin_usd_minor - a.margin_usd_minor,
  margin_pct_asc: (a, b) => (a.margin_ratio ?? -Infinity) - (b.margin_ratio ?? -Infinity),
  revenue_usd_desc: (a, b) => b.revenue_usd_minor - a.revenue_usd_minor,
};

const pct = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);

/** Item cost, list margin and realised margin on orders booked in a period. */
export const itemMargins = defineTool({
  name: "item_margins",
  title: "Item cost and margin",
  description:
    "Returns item standard cost and list price (USD cents) with list margin, and the margin realised on sales " +
    "orders booked in a period (default: the quarter of the ERP's date): units, revenue, cost and gross " +
    "margin in USD cents and margin %. Totals over the period, then items ranked by margin (default), margin % " +
    "ascending (worst first) or revenue. Only items sold in the period are listed, unless named in skus (then " +
    "shown with zero units and revenue). Filter by SKUs or category. Page with next_cursor.",
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
    items: z
      .array(
        z.object({
          sku: z.string(),
          name: z.string(),
          category: z.string(),
          unit_cost_usd_minor: minor.describe("standard cost per unit"),
          list_price_usd_minor: minor.describe("list price per unit"),
          list_margin_pct: z.number().nullable(),
          units: z.number().int(),
          revenue_usd_minor: minor,
          cost_usd_minor: minor,
          margin_usd_minor: minor,
          margin_pct: z.number().nullable(),
        }),
      )
      .describe(
        "items sold in the period (unsold items are left out, unless named in skus: then listed with zero units and revenue)",
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
    // Sales per SKU and currency in the period: one range scan of a covering index on the lines.
    const sold = await store.all<{
      sku: string;
      currency: Currency;
      units: number;
      revenue: number;
      cost: number;
    }>(
      `SELECT sku, currency, SUM(quantity) AS units, SUM(amount_minor) AS revenue, SUM(cost_usd_minor) AS cost
       FROM erp_sales_order_lines WHERE order_date BETWEEN ? AND ? GROUP BY sku, currency`,
      [resolved.from, resolved.to],
    );
    const items = await store.all<ItemRow>(
      `SELECT i.sku, i.name, i.category, i.unit_cost_minor AS unit_cost_usd_minor, i.list_price_minor AS list_price_usd_minor
       FROM erp_items i ${itemWhere}`,
      itemParams,
    );
    // Each item's revenue converts its own per-currency totals; the total converts the grand ones.
    const revenue = new UsdTotals<string>();
    const units = new Map<string, number>();
    const cost = new Map<string, number>();
    for (const r of sold) {
      revenue.add(r.sku, r.currency, r.revenue);
      units.set(r.sku, (units.get(r.sku) ?? 0) + r.units);
      cost.set(r.sku, (cost.get(r.sku) ?? 0) + r.cost);
    }
    const offset = decodeCursor(cursor, { period: resolved.label, skus, category, sort });
    const ranked: Ranked[] = items
      .filter((i) => skus !== undefined || units.has(i.sku))
      .map((i) => {
        const rev = revenue.usd(i.sku);
        const c = cost.get(i.sku) ?? 0;
        return {
          ...i,
          units: units.get(i.sku) ?? 0,
          revenue_usd_minor: rev,
          cost_usd_minor: c,
          margin_usd_minor: rev - c,
          margin_ratio: rev > 0 ? (rev - c) / rev : null,
        };
      })
      .sort((a, b) => SORTS[sort](a, b) || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const inScope = new Set(items.map((i) => i.sku));
    const scopedSales = sold.filter((r) => inScope.has(r.sku));
    const totalRevenue = new UsdTotals<0>();
    for (const r of scopedSales) totalRevenue.add(0, r.currency, r.revenue);
    const revenueUsd = totalRevenue.usdAll();
    const costUsd = scopedSales.reduce((sum, r) => sum + r.cost, 0);
    const page = ranked.slice(offset, offset + limit);
    return {
      as_of: asOf,
      period: resolved,
      reporting_currency: "USD" as const,
      totals: {
        items_sold: new Set(scopedSales.map((r) => r.sku)).size,
        units: scopedSales.reduce((sum, r) => sum + r.units, 0),
        revenue_usd_minor: revenueUsd,
        cost_usd_minor: costUsd,
        margin_usd_minor: revenueUsd - costUsd,
        margin_pct: pct(revenueUsd - costUsd, revenueUsd),
      },
      items: page.map(({ margin_ratio: _, ...i }) => ({
        ...i,
        list_margin_pct: pct(i.list_price_usd_minor - i.unit_cost_usd_minor, i.list_price_usd_minor),
        margin_pct: pct(i.margin_usd_minor, i.revenue_usd_minor),
      })),
      next_cursor:
        offset + limit < ranked.length
          ? encodeCursor(offset + limit, { period: resolved.label, skus, category, sort })
          : null,
    };
  },
});

import {
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  periodOutput,
  periodSchema,
  type ReadStore,
  resolvePeriod,
  type SqlValue,
} from "@toolpacks/pack-kit";
import type { Currency } from "@toolpacks/world";
import { z } from "zod";
import { REVENUE_COLUMNS, salesBySkuIn } from "../item-month-sales.js";
import { leadingSales, type SalesTotalsRow, type SkuSalesRow } from "../item-sales-leaders.js";
import { minor, placeholders, reportingCurrency, skuSchema, usdOf } from "../schemas.js";
import type { Rows } from "../tables.js";

// An item's stored columns; the query renames its cost and price (USD in the generated world).
type ItemRow = Pick<Rows["erp_items"], "sku" | "name" | "category"> & {
  unit_cost_usd_minor: Rows["erp_items"]["unit_cost_minor"];
  list_price_usd_minor: Rows["erp_items"]["list_price_minor"];
};

// What an item is ranked by.
type Figures = Pick<Rows["erp_item_months"], "sku" | "units" | "cost_usd_minor"> & {
  revenue_usd_minor: number;
  margin_usd_minor: number;
  margin_ratio: number | null;
};

function itemRows(store: ReadStore, where: string, params: SqlValue[]): Promise<ItemRow[]> {
  return store.all<ItemRow>(
    `SELECT i.sku, i.name, i.category, i.unit_cost_minor AS unit_cost_usd_minor, i.list_price_minor AS list_price_usd_minor
     FROM erp_items i ${where}`,
    params,
  );
}

/** Rankings; a tie (and, worst first, an item without revenue) falls back to the SKU. */
const SORTS: Record<
  "margin_usd_desc" | "margin_pct_asc" | "revenue_usd_desc",
  (a: Figures, b: Figures) => number
> = {
  margin_usd_desc: (a, b) => b.margin_usd_minor - a.margin_usd_minor,
  margin_pct_asc: (a, b) => (a.margin_ratio ?? -Infinity) - (b.margin_ratio ?? -Infinity),
  revenue_usd_desc: (a, b) => b.revenue_usd_minor - a.revenue_usd_minor,
};

const CURRENCIES = Object.keys(REVENUE_COLUMNS) as Currency[];

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
    // Sales per SKU in the period: whole months from the item-month rollup, ragged days from the lines.
    const sales = salesBySkuIn(resolved);
    const offset = decodeCursor(cursor, { period: resolved.label, skus, category, sort });
    // Named SKUs or a category need the items first; otherwise every SKU sold is in scope (the
    // lines' foreign key makes each one an item) and only the page's items are looked up.
    const scopedItems = skus || category ? await itemRows(store, itemWhere, itemParams) : undefined;
    let sold: SkuSalesRow[];
    let totals: SalesTotalsRow;
    if (!scopedItems && sort !== "margin_pct_asc") {
      // Ranked by a USD amount over every SKU: only those that can reach this page, plus totals.
      ({ rows: sold, totals } = await leadingSales(store, sales, sort, offset + limit));
    } else {
      const allSold = await store.all<SkuSalesRow>(sales.sql, sales.params);
      const inScope = scopedItems ? new Set(scopedItems.map((i) => i.sku)) : undefined;
      sold = inScope ? allSold.filter((r) => inScope.has(r.sku)) : allSold;
      totals = {
        items_sold: sold.length,
        units: 0,
        cost_usd_minor: 0,
        usd_revenue_minor: 0,
        eur_revenue_minor: 0,
        gbp_revenue_minor: 0,
      };
      for (const r of sold) {
        totals.units += r.units;
        totals.cost_usd_minor += r.cost_usd_minor;
        for (const currency of CURRENCIES) totals[REVENUE_COLUMNS[currency]] += r[REVENUE_COLUMNS[currency]];
      }
    }
    const bySku = new Map(sold.map((r) => [r.sku, r]));
    // Each item's revenue converts its own per-currency totals; the total converts the grand ones.
    const revenueOf = (r: Omit<SkuSalesRow, "sku">) =>
      usdOf(CURRENCIES.map((currency) => [currency, r[REVENUE_COLUMNS[currency]]] as const));
    const revenue = new Map(sold.map((r) => [r.sku, revenueOf(r)]));
    const candidates = skus ? (scopedItems ?? []).map((i) => i.sku) : sold.map((r) => r.sku);
    const ranked: Figures[] = candidates
      .map((sku) => {
        const rev = revenue.get(sku) ?? 0;
        const c = bySku.get(sku)?.cost_usd_minor ?? 0;
        return {
          sku,
          units: bySku.get(sku)?.units ?? 0,
          revenue_usd_minor: rev,
          cost_usd_minor: c,
          margin_usd_minor: rev - c,
          margin_ratio: rev > 0 ? (rev - c) / rev : null,
        };
      })
      .sort((a, b) => SORTS[sort](a, b) || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const revenueUsd = revenueOf(totals);
    const costUsd = totals.cost_usd_minor;
    const page = ranked.slice(offset, offset + limit);
    const pageSkus = page.map((r) => r.sku);
    const items =
      scopedItems ??
      (pageSkus.length ? await itemRows(store, `WHERE i.sku IN (${placeholders(pageSkus)})`, pageSkus) : []);
    const itemOf = new Map(items.map((i) => [i.sku, i]));
    return {
      as_of: asOf,
      period: resolved,
      reporting_currency: "USD" as const,
      totals: {
        items_sold: totals.items_sold,
        units: totals.units,
        revenue_usd_minor: revenueUsd,
        cost_usd_minor: costUsd,
        margin_usd_minor: revenueUsd - costUsd,
        margin_pct: pct(revenueUsd - costUsd, revenueUsd),
      },
      items: page.map(({ margin_ratio: _, sku, ...figures }) => {
        const i = { ...itemOf.get(sku)!, ...figures };
        return {
          ...i,
          list_margin_pct: pct(i.list_price_usd_minor - i.unit_cost_usd_minor, i.list_price_usd_minor),
          margin_pct: pct(i.margin_usd_minor, i.revenue_usd_minor),
        };
      }),
      next_cursor:
        offset + limit < (skus ? ranked.length : totals.items_sold)
          ? encodeCursor(offset + limit, { period: resolved.label, skus, category, sort })
          : null,
    };
  },
});

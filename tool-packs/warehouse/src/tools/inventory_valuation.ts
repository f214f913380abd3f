import { defineTool, nextCursorSchema, pageInputShape, queryPage, type SqlValue } from "@toolpacks/pack-kit";
import { z } from "zod";
import { locationIdSchema, minor, valuationCurrency } from "../schemas.js";
import type { Rows } from "../tables.js";

const valueRow = z.object({ units: z.number().int(), value_usd_minor: minor });

interface Query {
  sql: string;
  params: SqlValue[];
}

/**
 * Distinct SKUs held and their ranking by value, over every location: the count from one row per
 * category (wh_valuation_sku_counts), the ranking from the per-SKU rollup's value index.
 */
function bySkuEverywhere(category: string | undefined): { skus: Query; ranking: Query } {
  const params = category ? [category] : [];
  const where = `WHERE r.stock_rows > 0${category ? " AND r.category = ?" : ""}`;
  return {
    skus: {
      sql: `SELECT SUM(skus) AS n FROM wh_valuation_sku_counts${category ? " WHERE category = ?" : ""}`,
      params,
    },
    ranking: {
      sql: `SELECT r.sku, i.name, r.units, i.unit_cost_minor AS unit_cost_usd_minor, r.value_minor AS value_usd_minor
        FROM wh_sku_valuation r JOIN wh_items i ON i.sku = r.sku ${where} ORDER BY r.value_minor DESC, r.sku`,
      params,
    },
  };
}

/**
 * The same at one location. A location holds one stock row per SKU, so its SKUs held are the
 * stock rows the (location, category) rollup counts; the ranking is one range of the
 * (location, SKU) rollup's value index.
 */
function bySkuAtLocation(location: string, category: string | undefined): { skus: Query; ranking: Query } {
  const params = category ? [location, category] : [location];
  return {
    skus: {
      sql: `SELECT SUM(stock_rows) AS n FROM wh_valuation_totals WHERE location_id = ?${category ? " AND category = ?" : ""}`,
      params,
    },
    ranking: {
      sql: `SELECT r.sku, i.name, r.units, i.unit_cost_minor AS unit_cost_usd_minor, r.value_minor AS value_usd_minor
       FROM wh_location_sku_valuation r JOIN wh_items i ON i.sku = r.sku
       WHERE r.location_id = ?${category ? " AND r.category = ?" : ""} AND r.stock_rows > 0
       ORDER BY r.value_minor DESC, r.sku`,
      params,
    },
  };
}

/** What the stock on hand is worth at standard cost, by location, category and SKU. */
export const inventoryValuation = defineTool({
  name: "inventory_valuation",
  title: "Inventory valuation",
  description:
    "Returns the value of the stock on hand at standard cost (USD cents), as of the warehouse's date: total " +
    "units and value with the reserved part, value per location and per item category, and the SKUs " +
    "holding the most value (units, unit cost, value). Filter by location or category. Page the SKUs with " +
    "next_cursor.",
  input: z.object({
    location_id: locationIdSchema.optional(),
    category: z.string().min(1).max(64).optional().describe("only this item category, e.g. Pumps"),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 20 }),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: valuationCurrency,
    totals: z.object({
      distinct_skus: z.number().int(),
      units: z.number().int(),
      value_usd_minor: minor,
      reserved_units: z.number().int(),
      reserved_value_usd_minor: minor,
    }),
    by_location: z.array(z.object({ location_id: z.string(), ...valueRow.shape })),
    by_category: z.array(z.object({ category: z.string(), ...valueRow.shape })),
    top_skus: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        units: z.number().int(),
        unit_cost_usd_minor: minor.describe("standard cost per unit"),
        value_usd_minor: minor,
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "warehouse:read",
  budgetTokens: 1500,
  examples: [{}, { location_id: "WH-01", limit: 3 }, { category: "Pumps" }],
  async handler({ location_id, category, limit, cursor }, { store, asOf }) {
    // Totals and both breakdowns: a few rows of the (location, category) rollup, whatever the filter.
    let groupWhere = "WHERE stock_rows > 0";
    const groupParams: SqlValue[] = [];
    if (location_id) {
      groupWhere += " AND location_id = ?";
      groupParams.push(location_id);
    }
    if (category) {
      groupWhere += " AND category = ?";
      groupParams.push(category);
    }
    const groups = await store.all<
      Pick<
        Rows["wh_valuation_totals"],
        "location_id" | "category" | "units" | "value_minor" | "reserved_units" | "reserved_value_minor"
      >
    >(
      `SELECT location_id, category, units, value_minor, reserved_units, reserved_value_minor
       FROM wh_valuation_totals ${groupWhere}`,
      groupParams,
    );
    // SKUs over every location: the per-SKU rollup; at one location: the (location, SKU) rollup.
    const { skus, ranking } = location_id
      ? bySkuAtLocation(location_id, category)
      : bySkuEverywhere(category);
    const counted = await store.first<{
      /** SKUs held, summed by the query (null: none). */ n: number | null;
    }>(skus.sql, skus.params);
    const sum = (rows: typeof groups, f: (g: (typeof groups)[number]) => number) =>
      rows.reduce((n, g) => n + f(g), 0);
    const rollUp = <K extends "location_id" | "category">(key: K) =>
      [...new Set(groups.map((g) => g[key]))].map((value) => {
        const rows = groups.filter((g) => g[key] === value);
        return {
          [key]: value,
          units: sum(rows, (g) => g.units),
          value_usd_minor: sum(rows, (g) => g.value_minor),
        } as {
          units: number;
          value_usd_minor: number;
        } & Record<K, string>;
      });
    const byLocation = rollUp("location_id").sort((a, b) => a.location_id.localeCompare(b.location_id));
    const byCategory = rollUp("category").sort(
      (a, b) => b.value_usd_minor - a.value_usd_minor || a.category.localeCompare(b.category),
    );
    const page = await queryPage<
      Pick<Rows["wh_items"], "sku" | "name"> &
        Pick<Rows["wh_location_sku_valuation"], "units"> & {
          /** The item's standard cost and the units' value, renamed by the query. */
          unit_cost_usd_minor: number;
          value_usd_minor: number;
        }
    >(store, ranking.sql, ranking.params, { limit, cursor }, { location_id, category });
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      totals: {
        distinct_skus: counted?.n ?? 0,
        units: sum(groups, (g) => g.units),
        value_usd_minor: sum(groups, (g) => g.value_minor),
        reserved_units: sum(groups, (g) => g.reserved_units),
        reserved_value_usd_minor: sum(groups, (g) => g.reserved_value_minor),
      },
      by_location: byLocation,
      by_category: byCategory,
      top_skus: page.items,
      next_cursor: page.next_cursor,
    };
  },
});

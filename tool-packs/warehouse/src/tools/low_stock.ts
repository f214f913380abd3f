import {
  defineTool,
  nextCursorSchema,
  pageInputShape,
  queryPage,
  type SqlFragments,
  type SqlValue,
  sqlFor,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { addDays, locationIdSchema, placeholders } from "../schemas.js";
import type { Rows } from "../tables.js";

/** Days of usage a suggested order should cover on top of the reorder point. */
const COVER_DAYS = 30;
/** Window over which daily usage is measured. */
const USAGE_DAYS = 90;

// A stock row's stored columns, and what the query computes from them.
type AlertRow = Pick<Rows["wh_stock"], "sku" | "location_id" | "on_hand" | "reserved" | "reorder_point"> & {
  available: number;
};

/**
 * Suggested order: enough to reach the reorder point plus 30 days of usage (units issued in the
 * last 90 days x 30 / 90), rounded up to tens, at least 10. Integer arithmetic, so the SQL total
 * (suggestedSql) and this function agree to the unit.
 */
export function suggestedQuantity(available: number, reorderPoint: number, issuedInWindow: number): number {
  const cover = Math.floor((issuedInWindow * COVER_DAYS + USAGE_DAYS - 1) / USAGE_DAYS);
  const missing = reorderPoint + cover - available;
  return Math.max(10, Math.floor((missing + 9) / 10) * 10);
}

/**
 * Units issued from stock row `s` since the first `?` (one seek of the wh_movements_sku index).
 * Cast to BIGINT: Postgres sums BIGINT to NUMERIC, which would divide with decimals below.
 */
const ISSUED_SQL = `(SELECT CAST(COALESCE(-SUM(m.quantity), 0) AS BIGINT) FROM wh_movements m
  WHERE m.sku = s.sku AND m.location_id = s.location_id AND m.kind = 'issue' AND m.occurred_at >= ?)`;

/** suggestedQuantity in SQL over stock row `s` (integer division in both dialects). */
const suggestedSql = (sql: SqlFragments) =>
  sql.greatest(
    "10",
    `((s.reorder_point + (${ISSUED_SQL} * ${COVER_DAYS} + ${USAGE_DAYS - 1}) / ${USAGE_DAYS}
  - (s.on_hand - s.reserved) + 9) / 10) * 10`,
  );

/**
 * A stock row below its reorder point, written exactly as the partial index wh_stock_below's
 * predicate (migrations.ts) so every query of this tool reads only that index.
 */
export const BELOW_REORDER_POINT = "on_hand - reserved - reorder_point < 0";

/** Stock below its reorder point, worst first, with a suggested order quantity. */
export const lowStock = defineTool({
  name: "low_stock",
  title: "Low stock and reorder alerts",
  description:
    "Returns stock rows (SKU at a location) whose available quantity (on hand minus reserved) is below the " +
    "reorder point, as of the warehouse's date: counts per location and of rows out of stock, then the " +
    "alerts worst first (furthest below the reorder point) with on hand, reserved, available, daily usage " +
    "(issued units over the last 90 days / 90) and a suggested order quantity (reorder point + 30 days of " +
    "usage - available, rounded up to tens). Filter by location or out-of-stock only. Page with next_cursor.",
  input: z.object({
    location_id: locationIdSchema.optional(),
    out_of_stock_only: z.boolean().default(false).describe("only rows with nothing available"),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 20 }),
  }),
  output: z.object({
    as_of: z.string(),
    totals: z.object({
      below_reorder_point: z.number().int(),
      out_of_stock: z.number().int().describe("rows with nothing available"),
      skus_affected: z.number().int(),
      suggested_units: z.number().int().describe("sum of suggested quantities over every alert"),
    }),
    by_location: z.array(
      z.object({
        location_id: z.string(),
        below_reorder_point: z.number().int(),
        out_of_stock: z.number().int(),
      }),
    ),
    alerts: z.array(
      z.object({
        sku: z.string(),
        location_id: z.string(),
        on_hand: z.number().int(),
        reserved: z.number().int(),
        available: z.number().int(),
        reorder_point: z.number().int(),
        daily_usage: z.number(),
        suggested_quantity: z.number().int(),
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "warehouse:read",
  budgetTokens: 1500,
  examples: [{}, { location_id: "WH-01", limit: 3 }, { out_of_stock_only: true }],
  async handler({ location_id, out_of_stock_only, limit, cursor }, { store, asOf }) {
    let where = `WHERE ${BELOW_REORDER_POINT}`;
    const params: SqlValue[] = [];
    if (location_id) {
      where += " AND location_id = ?";
      params.push(location_id);
    }
    if (out_of_stock_only) where += " AND on_hand - reserved <= 0";
    // The 90 days up to and including as_of; issues carry negative quantities.
    const since = addDays(asOf, -(USAGE_DAYS - 1));
    const byLocation = await store.all<{
      location_id: string;
      below_reorder_point: number;
      out_of_stock: number;
    }>(
      `SELECT location_id, COUNT(*) AS below_reorder_point,
         SUM(CASE WHEN on_hand - reserved <= 0 THEN 1 ELSE 0 END) AS out_of_stock
       FROM wh_stock ${where} GROUP BY location_id ORDER BY location_id`,
      params,
    );
    const totals = await store.first<{ skus: number; suggested: number | null }>(
      `SELECT COUNT(DISTINCT s.sku) AS skus, SUM(${suggestedSql(sqlFor(store.dialect))}) AS suggested
       FROM wh_stock s ${where.replace(/\b(on_hand|reserved|reorder_point|location_id)\b/g, "s.$1")}`,
      [since, ...params],
    );
    const page = await queryPage<AlertRow>(
      store,
      `SELECT sku, location_id, on_hand, reserved, on_hand - reserved AS available, reorder_point FROM wh_stock ${where}
       ORDER BY (on_hand - reserved) - reorder_point, sku, location_id`,
      params,
      { limit, cursor },
      { location_id, out_of_stock_only },
    );
    const usage = page.items.length
      ? await store.all<{ sku: string; location_id: string; issued: number }>(
          `SELECT sku, location_id, -SUM(quantity) AS issued FROM wh_movements
           WHERE kind = 'issue' AND occurred_at >= ? AND sku IN (${placeholders(page.items)}) GROUP BY sku, location_id`,
          [since, ...page.items.map((i) => i.sku)],
        )
      : [];
    return {
      as_of: asOf,
      totals: {
        below_reorder_point: byLocation.reduce((s, r) => s + r.below_reorder_point, 0),
        out_of_stock: byLocation.reduce((s, r) => s + r.out_of_stock, 0),
        skus_affected: totals?.skus ?? 0,
        suggested_units: totals?.suggested ?? 0,
      },
      by_location: byLocation,
      alerts: page.items.map((item) => {
        const issued =
          usage.find((u) => u.sku === item.sku && u.location_id === item.location_id)?.issued ?? 0;
        return {
          ...item,
          daily_usage: Math.round((issued / USAGE_DAYS) * 100) / 100,
          suggested_quantity: suggestedQuantity(item.available, item.reorder_point, issued),
        };
      }),
      next_cursor: page.next_cursor,
    };
  },
});

import {
  defineTool,
  nextCursorSchema,
  pageInputShape,
  queryPage,
  type ReadStore,
  type SqlValue,
  sqlFor,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import {
  ALERT_ORDER,
  BELOW_REORDER_POINT,
  OUT_OF_STOCK,
  qualified,
  suggestedQuantity,
  suggestedSql,
  USAGE_DAYS,
} from "../reorder-suggestion.js";
import { addDays, locationIdSchema, placeholders } from "../schemas.js";
import type { Rows } from "../tables.js";
import { usageWindowSince } from "../usage-window.js";

// A stock row's stored columns, and what the query computes from them.
type AlertRow = Pick<Rows["wh_stock"], "sku" | "location_id" | "on_hand" | "reserved" | "reorder_point"> & {
  available: number;
};
type LocationCounts = Pick<Rows["wh_low_stock_totals"], "location_id"> & {
  below_reorder_point: number;
  out_of_stock: number;
};
interface Filters {
  location_id: string | undefined;
  out_of_stock_only: boolean;
}
interface Totals {
  byLocation: LocationCounts[];
  skus: number;
  suggested: number;
}

/**
 * Units issued from stock row `s` since the first `?` (one seek of the wh_movements_sku index).
 * Cast to BIGINT: Postgres sums BIGINT to NUMERIC, which would divide with decimals below.
 */
const ISSUED_SQL = `(SELECT CAST(COALESCE(-SUM(m.quantity), 0) AS BIGINT) FROM wh_movements m
  WHERE m.sku = s.sku AND m.location_id = s.location_id AND m.kind = 'issue' AND m.occurred_at >= ?)`;

/** The alerts' WHERE clause and parameters, columns qualified by `s` when given. */
function alertFilter({ location_id, out_of_stock_only }: Filters, s?: string) {
  let where = `WHERE ${BELOW_REORDER_POINT}`;
  const params: SqlValue[] = [];
  if (location_id) {
    where += " AND location_id = ?";
    params.push(location_id);
  }
  if (out_of_stock_only) where += ` AND ${OUT_OF_STOCK}`;
  return { where: s ? qualified(where, s) : where, params };
}

/** Totals read from the rollups (low-stock-rollups.ts): a few rows per location. */
async function totalsFromRollups(store: ReadStore, filters: Filters): Promise<Totals> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (filters.location_id) {
    conditions.push("location_id = ?");
    params.push(filters.location_id);
  }
  if (filters.out_of_stock_only) conditions.push("out_of_stock = 1");
  const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const rows = await store.all<LocationCounts & { suggested: number }>(
    `SELECT location_id, SUM(alerts) AS below_reorder_point,
       SUM(CASE WHEN out_of_stock = 1 THEN alerts ELSE 0 END) AS out_of_stock, SUM(suggested_units) AS suggested
     FROM wh_low_stock_totals ${where} GROUP BY location_id ORDER BY location_id`,
    params,
  );
  const byLocation = rows.map(({ location_id, below_reorder_point, out_of_stock }) => ({
    location_id,
    below_reorder_point,
    out_of_stock,
  }));
  // A (SKU, location) pair is one stock row: at one location the SKUs affected are its alerts.
  const skus = filters.location_id
    ? (byLocation[0]?.below_reorder_point ?? 0)
    : ((
        await store.first<{ n: number }>(
          `SELECT COUNT(*) AS n FROM wh_low_stock_skus${filters.out_of_stock_only ? " WHERE out_of_stock > 0" : ""}`,
        )
      )?.n ?? 0);
  return { byLocation, skus, suggested: rows.reduce((n, r) => n + r.suggested, 0) };
}

/** Totals counted from the alerts and their movements, for an as-of date the rollups do not hold. */
async function totalsFromAlerts(store: ReadStore, filters: Filters, since: string): Promise<Totals> {
  const { where, params } = alertFilter(filters);
  const byLocation = await store.all<LocationCounts>(
    `SELECT location_id, COUNT(*) AS below_reorder_point,
       SUM(CASE WHEN ${OUT_OF_STOCK} THEN 1 ELSE 0 END) AS out_of_stock
     FROM wh_stock ${where} GROUP BY location_id ORDER BY location_id`,
    params,
  );
  const s = alertFilter(filters, "s");
  const totals = await store.first<{ skus: number; suggested: number | null }>(
    `SELECT COUNT(DISTINCT s.sku) AS skus, SUM(${suggestedSql("s", ISSUED_SQL, sqlFor(store.dialect).greatest)}) AS suggested
     FROM wh_stock s ${s.where}`,
    [since, ...s.params],
  );
  return { byLocation, skus: totals?.skus ?? 0, suggested: totals?.suggested ?? 0 };
}

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
    const filters = { location_id, out_of_stock_only };
    const { where, params } = alertFilter(filters);
    // The 90 days up to and including as_of; issues carry negative quantities.
    const since = addDays(asOf, -(USAGE_DAYS - 1));
    // The rollups and each row's kept usage hold only the window the store keeps; for any other
    // (no as-of date recorded: today) the alerts' movements are counted here. Same answer.
    const kept = (await usageWindowSince(store)) === since;
    const totals = kept
      ? await totalsFromRollups(store, filters)
      : await totalsFromAlerts(store, filters, since);
    const page = await queryPage<AlertRow & Pick<Rows["wh_stock"], "issued_window">>(
      store,
      `SELECT sku, location_id, on_hand, reserved, on_hand - reserved AS available, reorder_point,
         ${kept ? "issued_window" : "0 AS issued_window"}
       FROM wh_stock ${where} ORDER BY ${ALERT_ORDER}, sku, location_id`,
      params,
      { limit, cursor },
      { location_id, out_of_stock_only },
    );
    const usage =
      page.items.length && !kept
        ? await store.all<{ sku: string; location_id: string; issued: number }>(
            `SELECT sku, location_id, -SUM(quantity) AS issued FROM wh_movements
           WHERE kind = 'issue' AND occurred_at >= ? AND sku IN (${placeholders(page.items)}) GROUP BY sku, location_id`,
            [since, ...page.items.map((i) => i.sku)],
          )
        : [];
    return {
      as_of: asOf,
      totals: {
        below_reorder_point: totals.byLocation.reduce((n, r) => n + r.below_reorder_point, 0),
        out_of_stock: totals.byLocation.reduce((n, r) => n + r.out_of_stock, 0),
        skus_affected: totals.skus,
        suggested_units: totals.suggested,
      },
      by_location: totals.byLocation,
      alerts: page.items.map(({ issued_window, ...item }) => {
        const issued = kept
          ? issued_window
          : (usage.find((u) => u.sku === item.sku && u.location_id === item.location_id)?.issued ?? 0);
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

import type { Migration } from "@toolpacks/pack-kit";
import { joinedRollupTriggers } from "./joined-rollup.js";

/**
 * The stock-valuation rollups inventory_valuation reads instead of joining every stock row with
 * its item: per (location, category) and per SKU, the stock rows holding units, units, value at
 * standard cost and their reserved part. Database triggers keep both current in the same
 * transaction as every write of `wh_stock` or `wh_items`, whoever writes (the write tools, seeding,
 * imports, sync, removals), so they cannot drift from the rows. A row's figures are exactly what
 * the from-scratch `wh_stock JOIN wh_items WHERE on_hand > 0` gives: a stock row without its item
 * counts nowhere until the item arrives. A group whose last stock row leaves stays as a row of
 * zeros; readers skip `stock_rows = 0`.
 */
export const VALUATION_TABLES = ["wh_valuation_totals", "wh_sku_valuation"] as const;

const TABLES = [
  `CREATE TABLE wh_valuation_totals (
    location_id TEXT NOT NULL, category TEXT NOT NULL, stock_rows INTEGER NOT NULL, units INTEGER NOT NULL,
    value_minor INTEGER NOT NULL, reserved_units INTEGER NOT NULL, reserved_value_minor INTEGER NOT NULL,
    PRIMARY KEY (location_id, category))`,
  `CREATE TABLE wh_sku_valuation (
    sku TEXT NOT NULL, category TEXT NOT NULL, stock_rows INTEGER NOT NULL, units INTEGER NOT NULL,
    value_minor INTEGER NOT NULL, PRIMARY KEY (sku, category))`,
  // top_skus, whole warehouse or one category: the page is the first rows of one index range.
  "CREATE INDEX wh_sku_valuation_rank ON wh_sku_valuation (value_minor DESC, sku)",
  "CREATE INDEX wh_sku_valuation_category ON wh_sku_valuation (category, value_minor DESC, sku)",
];

const FILL = [
  `INSERT INTO wh_valuation_totals (location_id, category, stock_rows, units, value_minor, reserved_units, reserved_value_minor)
    SELECT s.location_id, i.category, COUNT(*), SUM(s.on_hand), SUM(s.on_hand * i.unit_cost_minor), SUM(s.reserved),
      SUM(s.reserved * i.unit_cost_minor)
    FROM wh_stock s JOIN wh_items i ON i.sku = s.sku WHERE s.on_hand > 0 GROUP BY s.location_id, i.category`,
  `INSERT INTO wh_sku_valuation (sku, category, stock_rows, units, value_minor)
    SELECT s.sku, i.category, COUNT(*), SUM(s.on_hand), SUM(s.on_hand * i.unit_cost_minor)
    FROM wh_stock s JOIN wh_items i ON i.sku = s.sku WHERE s.on_hand > 0 GROUP BY s.sku, i.category`,
];

/**
 * Adds (sign +) or removes (sign -) what the stock rows of `from` (a FROM clause yielding `s`, a
 * stock row, and `i`, its item, ending in a WHERE) contribute. Grouped even for one row: one
 * Postgres upsert may touch a row only once.
 */
function contribute(from: string, sign: "+" | "-"): string[] {
  const totals = `INSERT INTO wh_valuation_totals (location_id, category, stock_rows, units, value_minor, reserved_units, reserved_value_minor)
    SELECT s.location_id, i.category, ${sign}COUNT(*), ${sign}SUM(s.on_hand), ${sign}SUM(s.on_hand * i.unit_cost_minor),
      ${sign}SUM(s.reserved), ${sign}SUM(s.reserved * i.unit_cost_minor)
    FROM ${from} AND s.on_hand > 0 GROUP BY s.location_id, i.category
    ON CONFLICT (location_id, category) DO UPDATE SET stock_rows = wh_valuation_totals.stock_rows + excluded.stock_rows,
      units = wh_valuation_totals.units + excluded.units, value_minor = wh_valuation_totals.value_minor + excluded.value_minor,
      reserved_units = wh_valuation_totals.reserved_units + excluded.reserved_units,
      reserved_value_minor = wh_valuation_totals.reserved_value_minor + excluded.reserved_value_minor`;
  const skus = `INSERT INTO wh_sku_valuation (sku, category, stock_rows, units, value_minor)
    SELECT s.sku, i.category, ${sign}COUNT(*), ${sign}SUM(s.on_hand), ${sign}SUM(s.on_hand * i.unit_cost_minor)
    FROM ${from} AND s.on_hand > 0 GROUP BY s.sku, i.category
    ON CONFLICT (sku, category) DO UPDATE SET stock_rows = wh_sku_valuation.stock_rows + excluded.stock_rows,
      units = wh_sku_valuation.units + excluded.units, value_minor = wh_sku_valuation.value_minor + excluded.value_minor`;
  return [totals, skus];
}

/** One stock row (OLD or NEW) with its item as it stands. */
export const stockRow = (row: "OLD" | "NEW") =>
  `(SELECT ${row}.sku AS sku, ${row}.location_id AS location_id, ${row}.on_hand AS on_hand, ${row}.reserved AS reserved) s
    JOIN wh_items i ON i.sku = s.sku WHERE 1 = 1`;
/** Every stock row of one item (OLD or NEW), at that version of the item. */
export const itemRows = (row: "OLD" | "NEW") =>
  `wh_stock s JOIN (SELECT ${row}.sku AS sku, ${row}.category AS category, ${row}.unit_cost_minor AS unit_cost_minor) i
    ON i.sku = s.sku WHERE s.sku = ${row}.sku`;

const TRIGGERS = joinedRollupTriggers(
  "wh_valuation",
  [
    {
      table: "wh_stock",
      name: "stock",
      columns: "sku, location_id, on_hand, reserved",
      contribute,
      rows: stockRow,
    },
    {
      table: "wh_items",
      name: "item",
      columns: "sku, category, unit_cost_minor",
      contribute,
      rows: itemRows,
    },
  ],
  "by-op",
);

/** The migration that creates, fills and starts maintaining both rollups, on both dialects. */
export function valuationRollupMigration(id: string): Migration {
  return {
    id,
    statements: [...TABLES, ...FILL, ...TRIGGERS.sqlite],
    postgres: [...TABLES.map((t) => t.replace(/\bINTEGER\b/g, "BIGINT")), ...FILL, ...TRIGGERS.postgres],
  };
}

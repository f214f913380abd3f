import { type Migration, rollupMigration } from "@toolpacks/pack-kit";
import { joinedRollupTriggers } from "./joined-rollup.js";
import { itemRows, stockRow } from "./valuation-rollup.js";

const TABLE = `CREATE TABLE wh_location_sku_valuation (
    location_id TEXT NOT NULL, sku TEXT NOT NULL, category TEXT NOT NULL, stock_rows INTEGER NOT NULL,
    units INTEGER NOT NULL, value_minor INTEGER NOT NULL, PRIMARY KEY (location_id, sku, category))`;
const INDEXES = [
  // top_skus at one location, whole or one category: the page is the first rows of one range.
  "CREATE INDEX wh_location_sku_valuation_rank ON wh_location_sku_valuation (location_id, value_minor DESC, sku)",
  "CREATE INDEX wh_location_sku_valuation_category ON wh_location_sku_valuation (location_id, category, value_minor DESC, sku)",
];
const FILL = `INSERT INTO wh_location_sku_valuation (location_id, sku, category, stock_rows, units, value_minor)
    SELECT s.location_id, s.sku, i.category, COUNT(*), SUM(s.on_hand), SUM(s.on_hand * i.unit_cost_minor)
    FROM wh_stock s JOIN wh_items i ON i.sku = s.sku WHERE s.on_hand > 0 GROUP BY s.location_id, s.sku, i.category`;

/** Adds (+) or removes (-) what the stock rows of `from` (valuation-rollup.ts' row sources) hold. */
const contribute = (from: string, sign: "+" | "-") => [
  `INSERT INTO wh_location_sku_valuation (location_id, sku, category, stock_rows, units, value_minor)
    SELECT s.location_id, s.sku, i.category, ${sign}COUNT(*), ${sign}SUM(s.on_hand), ${sign}SUM(s.on_hand * i.unit_cost_minor)
    FROM ${from} AND s.on_hand > 0 GROUP BY s.location_id, s.sku, i.category
    ON CONFLICT (location_id, sku, category) DO UPDATE SET stock_rows = wh_location_sku_valuation.stock_rows + excluded.stock_rows,
      units = wh_location_sku_valuation.units + excluded.units,
      value_minor = wh_location_sku_valuation.value_minor + excluded.value_minor`,
];

const TRIGGERS = joinedRollupTriggers("wh_location_valuation", [
  { table: "wh_stock", name: "stock", columns: "sku, location_id, on_hand", contribute, rows: stockRow },
  { table: "wh_items", name: "item", columns: "sku, category, unit_cost_minor", contribute, rows: itemRows },
]);

/**
 * inventory_valuation's SKU ranking at one location: per location and SKU (with its category),
 * the units on hand and their value at standard cost, exactly the stock row joined with its item
 * when it holds units. Kept like the other valuation rollups (valuation-rollup.ts) from both
 * tables: a stock write moves its row, an item's new cost or category revalues its rows. A SKU
 * whose units leave stays as a row of zeros; readers skip `stock_rows = 0`.
 */
export function locationSkuValuationMigration(id: string): Migration {
  return {
    id,
    statements: [TABLE, FILL, ...INDEXES, ...TRIGGERS.sqlite],
    postgres: [TABLE.replace(/\bINTEGER\b/g, "BIGINT"), FILL, ...INDEXES, ...TRIGGERS.postgres],
  };
}

/**
 * inventory_valuation's distinct SKUs held everywhere: per category, how many SKUs hold units
 * (rows of wh_sku_valuation with stock), so the count reads one row per category instead of
 * counting every SKU. Kept by the kit's triggers on the per-SKU rollup itself.
 */
export function valuationSkuCountsMigration(id: string): Migration {
  return rollupMigration({
    id,
    table: "wh_valuation_sku_counts",
    source: "wh_sku_valuation",
    triggers: "wh_valuation_sku_counts",
    create: `CREATE TABLE wh_valuation_sku_counts (
  category TEXT NOT NULL, skus INTEGER NOT NULL, PRIMARY KEY (category)) WITHOUT ROWID`,
    fill: `INSERT INTO wh_valuation_sku_counts (category, skus)
  SELECT category, COUNT(*) FROM wh_sku_valuation WHERE stock_rows > 0 GROUP BY category`,
    keys: ["category"],
    count: "skus",
    sums: {},
    when: (r) => `${r}.stock_rows > 0`,
    watch: ["category", "stock_rows"],
    prune: true,
  });
}

import {
  type Migration,
  type RollupSpec,
  rollupMigration,
  statementRollupTriggersMigration,
} from "@toolpacks/pack-kit";
import { BELOW_REORDER_POINT, OUT_OF_STOCK, qualified, suggestedSql } from "./reorder-suggestion.js";

/**
 * low_stock's totals kept by triggers from the stock rows below their reorder point, so a
 * question reads a few rows per location instead of every alert and its movements:
 * - per location and out-of-stock flag: the alerts and their suggested quantities, from each
 *   row's units issued in the usage window (`issued_window`, usage-window.ts);
 * - per SKU: its alerts and out-of-stock rows, for the distinct SKUs affected.
 * A group leaves when its last alert does.
 */
const below = (r: string) => qualified(BELOW_REORDER_POINT, r);
const outFlag = (r: string) => `CASE WHEN ${qualified(OUT_OF_STOCK, r)} THEN 1 ELSE 0 END`;

export const LOW_STOCK_TOTALS: Omit<RollupSpec, "id"> = {
  table: "wh_low_stock_totals",
  source: "wh_stock",
  triggers: "wh_low_stock_totals",
  create: `CREATE TABLE wh_low_stock_totals (
  location_id TEXT NOT NULL, out_of_stock INTEGER NOT NULL, alerts INTEGER NOT NULL, suggested_units INTEGER NOT NULL,
  PRIMARY KEY (location_id, out_of_stock)) WITHOUT ROWID`,
  fill: `INSERT INTO wh_low_stock_totals (location_id, out_of_stock, alerts, suggested_units)
  SELECT s.location_id, ${outFlag("s")}, COUNT(*), SUM(${suggestedSql("s", "s.issued_window")})
  FROM wh_stock s WHERE ${below("s")} GROUP BY s.location_id, ${outFlag("s")}`,
  keys: ["location_id", { column: "out_of_stock", of: outFlag }],
  count: "alerts",
  sums: { suggested_units: (r) => suggestedSql(r, `${r}.issued_window`) },
  when: below,
  watch: ["location_id", "on_hand", "reserved", "reorder_point", "issued_window"],
  prune: true,
};

export const LOW_STOCK_SKUS: Omit<RollupSpec, "id"> = {
  table: "wh_low_stock_skus",
  source: "wh_stock",
  triggers: "wh_low_stock_skus",
  create: `CREATE TABLE wh_low_stock_skus (
  sku TEXT NOT NULL PRIMARY KEY, alerts INTEGER NOT NULL, out_of_stock INTEGER NOT NULL) WITHOUT ROWID`,
  fill: `INSERT INTO wh_low_stock_skus (sku, alerts, out_of_stock)
  SELECT s.sku, COUNT(*), SUM(${outFlag("s")}) FROM wh_stock s WHERE ${below("s")} GROUP BY s.sku`,
  keys: ["sku"],
  count: "alerts",
  sums: { out_of_stock: outFlag },
  when: below,
  watch: ["sku", "on_hand", "reserved", "reorder_point"],
  prune: true,
};

/** The two rollups' migrations, and (Postgres) the per-location one kept once per statement. */
export function lowStockRollupMigrations(ids: {
  totals: string;
  skus: string;
  perStatement: string;
}): Migration[] {
  return [
    rollupMigration({ ...LOW_STOCK_TOTALS, id: ids.totals }),
    rollupMigration({ ...LOW_STOCK_SKUS, id: ids.skus }),
    // A handful of groups (two per location) that an import of many stock rows hits row after
    // row: per statement on Postgres, as the kit recommends (statementRollupTriggersMigration).
    statementRollupTriggersMigration(ids.perStatement, [LOW_STOCK_TOTALS]),
  ];
}

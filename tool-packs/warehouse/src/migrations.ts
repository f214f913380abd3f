import { type Migration, trackProvenance } from "@toolpacks/pack-kit";
import { locationSkuValuationMigration, valuationSkuCountsMigration } from "./location-valuation.js";
import { lowStockRollupMigrations } from "./low-stock-rollups.js";
import {
  movementDaysMigration,
  movementLocationMonthsMigration,
  movementMonthsMigration,
} from "./movement-rollups.js";
import { ALERT_ORDER, BELOW_REORDER_POINT } from "./reorder-suggestion.js";
import {
  reservationTotalsMigration,
  reservationUnitsMigration,
  shipmentDaysMigration,
} from "./shipment-rollups.js";
import { usageWindowMigration } from "./usage-window.js";
import { valuationRollupMigration } from "./valuation-rollup.js";

// SQLite's INTEGER is 64-bit; Postgres' is 32-bit, so there every INTEGER column is BIGINT.
const bigint = (sql: string) => sql.replace(/\bINTEGER\b/g, "BIGINT");

const TABLES = [
  "CREATE TABLE wh_locations (id TEXT PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL, country TEXT NOT NULL)",
  // Standard cost per item (USD cents) for valuation; copied from the shared item master.
  `CREATE TABLE wh_items (
    sku TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,
    unit_cost_minor INTEGER NOT NULL, currency TEXT NOT NULL)`,
  `CREATE TABLE wh_stock (
    sku TEXT NOT NULL REFERENCES wh_items (sku), location_id TEXT NOT NULL REFERENCES wh_locations (id),
    on_hand INTEGER NOT NULL, reserved INTEGER NOT NULL, reorder_point INTEGER NOT NULL,
    PRIMARY KEY (sku, location_id),
    CHECK (on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand))`,
  `CREATE TABLE wh_movements (
    id TEXT PRIMARY KEY, sku TEXT NOT NULL, location_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'issue', 'adjustment', 'transfer')),
    quantity INTEGER NOT NULL, occurred_at TEXT NOT NULL, reference TEXT)`,
  `CREATE TABLE wh_reservations (
    id TEXT PRIMARY KEY, order_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'released', 'shipped')),
    created_on TEXT NOT NULL, closed_on TEXT, created_by TEXT)`,
  `CREATE TABLE wh_reservation_lines (
    reservation_id TEXT NOT NULL REFERENCES wh_reservations (id), line_no INTEGER NOT NULL,
    sku TEXT NOT NULL, location_id TEXT NOT NULL, quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (reservation_id, line_no))`,
  `CREATE TABLE wh_shipments (
    id TEXT PRIMARY KEY, sales_order_id TEXT NOT NULL, reservation_id TEXT, customer_id TEXT,
    location_id TEXT NOT NULL, shipped_on TEXT NOT NULL, carrier TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('in_transit', 'delivered')), units INTEGER NOT NULL)`,
];

// A reservation only leaves 'active' (to released or shipped), once: a second, concurrent
// release or shipment aborts its whole batch instead of moving stock twice.
const STATE_TRIGGER_SQLITE = `CREATE TRIGGER wh_reservations_state BEFORE UPDATE OF status ON wh_reservations
  WHEN OLD.status <> 'active' OR NEW.status NOT IN ('released', 'shipped')
  BEGIN SELECT RAISE(ABORT, 'reservation is no longer active'); END`;
// The same rule on Postgres; check_violation (SQLSTATE 23514) makes it a constraint failure, so
// the write path replans exactly as it does on SQLite's RAISE(ABORT).
const STATE_TRIGGER_POSTGRES = [
  `CREATE FUNCTION wh_reservations_state() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'reservation is no longer active' USING ERRCODE = 'check_violation'; END $$`,
  `CREATE TRIGGER wh_reservations_state BEFORE UPDATE OF status ON wh_reservations FOR EACH ROW
  WHEN (OLD.status <> 'active' OR NEW.status NOT IN ('released', 'shipped'))
  EXECUTE FUNCTION wh_reservations_state()`,
];

const INDEXES = [
  // An order has at most one live (active or shipped) reservation, whatever the callers do.
  "CREATE UNIQUE INDEX wh_reservations_live_order ON wh_reservations (order_id) WHERE status IN ('active', 'shipped')",
  "CREATE INDEX wh_reservations_order ON wh_reservations (order_id, status)",
  // available_to_promise, low_stock, inventory_valuation per location.
  "CREATE INDEX wh_stock_location ON wh_stock (location_id, sku)",
  // movement_summary: the window's sums per kind and location, one range each.
  "CREATE INDEX wh_movements_kind_location ON wh_movements (kind, location_id, occurred_at, sku, quantity)",
  // low_stock: daily usage of one SKU at one location; movement_summary: ranking SKUs.
  "CREATE INDEX wh_movements_sku ON wh_movements (sku, location_id, kind, occurred_at, quantity)",
  // shipment_status: per order, and by status, newest first.
  "CREATE INDEX wh_shipments_order ON wh_shipments (sales_order_id)",
  "CREATE INDEX wh_shipments_status ON wh_shipments (status, shipped_on, id)",
];

/**
 * The warehouse schema, for SQLite and Postgres (the conformance kit checks both build the same
 * tables, columns, keys, indexes and triggers). Tables are prefixed `wh_` so the four packs can
 * share one store. The CHECK on wh_stock is what makes reservations safe: a reservation or
 * shipment that would take more than is on hand fails its whole batch, so concurrent writers can
 * never over-promise. Every index serves a named tool query (comment beside it).
 */
export const migrations: Migration[] = [
  {
    id: "0001_wh_schema",
    statements: [...TABLES, STATE_TRIGGER_SQLITE, ...INDEXES],
    postgres: [...TABLES.map(bigint), ...STATE_TRIGGER_POSTGRES, ...INDEXES],
  },
  // Imported rows name the record they came from; reservations, shipments and movements are
  // the pack's own writes and history, not imported.
  trackProvenance("0002_wh_provenance", ["wh_locations", "wh_items", "wh_stock"]),
  // inventory_valuation's totals per location and category and its SKU ranking, kept current by
  // triggers (valuation-rollup.ts).
  valuationRollupMigration("0003_wh_valuation_rollup"),
  {
    // low_stock: only the rows below their reorder point, covering its counts per location, the
    // suggested-quantity total and the alert page, so a question reads the alerts, not all stock.
    // The predicate has a constant right side: SQLite uses a partial index only for a WHERE term
    // identical to it, and does not match `on_hand - reserved < reorder_point` (column on the right).
    id: "0004_wh_low_stock_index",
    statements: [
      `CREATE INDEX wh_stock_below ON wh_stock (location_id, sku, on_hand, reserved, reorder_point)
        WHERE on_hand - reserved - reorder_point < 0`,
    ],
  },
  {
    // movement_summary's SKU ranking over a short window or one location: the window's range only.
    id: "0005_wh_movements_day_index",
    statements: ["CREATE INDEX wh_movements_day ON wh_movements (occurred_at, sku, location_id, quantity)"],
  },
  // shipment_status: the window's counts per status and carrier from days, not shipments, and the
  // active reservations' orders and units from one row (shipment-rollups.ts).
  shipmentDaysMigration("0006_wh_shipment_days"),
  reservationUnitsMigration("0007_wh_reservation_units"),
  reservationTotalsMigration("0008_wh_reservation_totals"),
  // movement_summary: the window's groups per day, and its SKU ranking bounded per month and counted
  // exactly for the page's contenders only (movement-rollups.ts, movement-ranking.ts).
  movementDaysMigration("0009_wh_movement_days"),
  movementMonthsMigration("0010_wh_movement_months"),
  movementLocationMonthsMigration("0011_wh_movement_location_months"),
  {
    // The ranking's contenders over the window's ragged days: one range per SKU.
    id: "0012_wh_movements_sku_day_index",
    statements: [
      "CREATE INDEX wh_movements_sku_day ON wh_movements (sku, occurred_at, location_id, quantity)",
    ],
  },
  // inventory_valuation at one location and its distinct SKUs: ranked and counted from rollups, not
  // from every stock row (location-valuation.ts).
  locationSkuValuationMigration("0013_wh_location_sku_valuation"),
  valuationSkuCountsMigration("0014_wh_valuation_sku_counts"),
  {
    // movement_summary of one SKU groups its window by kind and location: the SKU-and-day index of
    // 0012 without kind sent every row to the table. This one covers both that and the ranking.
    id: "0015_wh_movements_sku_day_kind_index",
    statements: [
      "DROP INDEX wh_movements_sku_day",
      "CREATE INDEX wh_movements_sku_day_kind ON wh_movements (sku, occurred_at, location_id, kind, quantity)",
    ],
  },
  {
    // low_stock on Postgres: without statistics on the partial index's expression the planner
    // guesses a third of all stock is below its reorder point, so at 10^7 rows it costs the
    // suggestion's per-alert lookups over jit_above_cost and compiles the query on every call
    // (10-30 ms of JIT for a 25 ms query). Expression statistics (Postgres 14+) give the real
    // count once analysed; an older server keeps the guess, with a notice. SQLite's planner has
    // no JIT and its partial-index choice does not depend on a row estimate: nothing to do there.
    id: "0016_wh_stock_below_statistics",
    statements: [],
    postgres: [
      `DO $$ BEGIN
    CREATE STATISTICS wh_stock_below_stats ON (on_hand - reserved - reorder_point) FROM wh_stock;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'low_stock: no expression statistics (%); the planner guesses the alert count', SQLERRM;
  END $$`,
      "ANALYZE wh_stock",
    ],
  },
  // low_stock's totals from rollups, not from every alert and its movements: each stock row's
  // units issued in the usage window, kept as the window and the as-of date move
  // (usage-window.ts), then per location and per SKU (low-stock-rollups.ts).
  usageWindowMigration("0017_wh_usage_window"),
  ...lowStockRollupMigrations({
    totals: "0018_wh_low_stock_totals",
    skus: "0019_wh_low_stock_skus",
    perStatement: "0020_wh_low_stock_totals_per_statement",
  }),
  {
    // low_stock's page, worst first: the first rows of an index in that order (whole warehouse or
    // one location), with the kept usage, instead of sorting every alert. Partial: alerts only.
    id: "0021_wh_low_stock_rank_indexes",
    statements: [
      `CREATE INDEX wh_stock_alert_rank ON wh_stock ((${ALERT_ORDER}), sku, location_id, on_hand, reserved, reorder_point, issued_window)
        WHERE ${BELOW_REORDER_POINT}`,
      `CREATE INDEX wh_stock_location_alert_rank ON wh_stock (location_id, (${ALERT_ORDER}), sku, on_hand, reserved, reorder_point, issued_window)
        WHERE ${BELOW_REORDER_POINT}`,
    ],
  },
];

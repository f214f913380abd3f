import { defineTables, integer, type RowsOf, text } from "@toolpacks/pack-kit";

/**
 * Every warehouse table as the migrations build it, declared once: the queries' row types are
 * `Pick<Rows["table"], ...>` of these, and the conformance kit fails when this and the migrated
 * store (SQLite and Postgres) disagree on a table, a column, its kind or its nullability. A
 * migration that adds or changes a column changes this declaration too.
 */
export const tables = defineTables({
  wh_locations: {
    id: text(),
    name: text(),
    city: text(),
    country: text(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  wh_items: {
    sku: text(),
    name: text(),
    category: text(),
    unit_cost_minor: integer(),
    currency: text(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  wh_stock: {
    sku: text(),
    location_id: text(),
    on_hand: integer(),
    reserved: integer(),
    reorder_point: integer(),
    source_system: text().nullable(),
    source_id: text().nullable(),
    // Units issued since the usage window's start, kept by triggers (usage-window.ts); never written.
    issued_window: integer().kept(),
  },
  wh_movements: {
    id: text(),
    sku: text(),
    location_id: text(),
    kind: text(),
    quantity: integer(),
    occurred_at: text(),
    reference: text().nullable(),
  },
  wh_reservations: {
    id: text(),
    order_id: text(),
    status: text(),
    created_on: text(),
    closed_on: text().nullable(),
    created_by: text().nullable(),
  },
  wh_reservation_lines: {
    reservation_id: text(),
    line_no: integer(),
    sku: text(),
    location_id: text(),
    quantity: integer(),
  },
  wh_shipments: {
    id: text(),
    sales_order_id: text(),
    reservation_id: text().nullable(),
    customer_id: text().nullable(),
    location_id: text(),
    shipped_on: text(),
    carrier: text(),
    status: text(),
    units: integer(),
  },
  // A rollup kept by triggers (see its migration).
  wh_sku_valuation: {
    sku: text(),
    category: text(),
    stock_rows: integer(),
    units: integer(),
    value_minor: integer(),
  },
  // A rollup kept by triggers (see its migration).
  wh_valuation_totals: {
    location_id: text(),
    category: text(),
    stock_rows: integer(),
    units: integer(),
    value_minor: integer(),
    reserved_units: integer(),
    reserved_value_minor: integer(),
  },
  // Rollups kept by triggers (shipment-rollups.ts).
  wh_shipment_days: {
    shipped_on: text(),
    status: text(),
    carrier: text(),
    shipments: integer(),
    units: integer(),
  },
  wh_reservation_units: {
    reservation_id: text(),
    lines: integer(),
    units: integer(),
  },
  wh_reservation_totals: {
    status: text(),
    orders: integer(),
    units: integer(),
  },
  // Rollups kept by triggers (movement-rollups.ts).
  wh_movement_days: {
    day: text(),
    kind: text(),
    location_id: text(),
    movements: integer(),
    units_in: integer(),
    units_out: integer(),
    net: integer(),
  },
  wh_movement_months: {
    month: text(),
    sku: text(),
    movements: integer(),
    units_in: integer(),
    units_out: integer(),
    net: integer(),
  },
  wh_movement_location_months: {
    month: text(),
    location_id: text(),
    sku: text(),
    movements: integer(),
    units_in: integer(),
    units_out: integer(),
    net: integer(),
  },
  // Rollups kept by triggers (location-valuation.ts).
  wh_location_sku_valuation: {
    location_id: text(),
    sku: text(),
    category: text(),
    stock_rows: integer(),
    units: integer(),
    value_minor: integer(),
  },
  wh_valuation_sku_counts: {
    category: text(),
    skus: integer(),
  },
  // The usage window's start and low_stock's rollups (usage-window.ts, low-stock-rollups.ts).
  wh_usage_window: {
    id: integer(),
    since: text().nullable(),
    next_since: text().nullable(),
  },
  wh_low_stock_totals: {
    location_id: text(),
    out_of_stock: integer(),
    alerts: integer(),
    suggested_units: integer(),
  },
  wh_low_stock_skus: {
    sku: text(),
    alerts: integer(),
    out_of_stock: integer(),
  },
});

/** The row type of each warehouse table, e.g. `Rows["wh_locations"]`. */
export type Rows = RowsOf<typeof tables>;

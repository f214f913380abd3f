import { type Migration, statementRollupTriggersMigration, trackProvenance } from "@toolpacks/pack-kit";
import { itemMonthsMigration, itemQuartersMigration } from "./item-month-sales.js";
import { OPEN_ORDER_TOTALS_ROLLUP, openOrderTotalsMigration } from "./open-order-totals.js";
import { openByCustomerMigration } from "./open-orders-by-customer.js";
import { PO_TOTALS_ROLLUP, poTotalsMigration } from "./po-totals.js";

// SQLite's INTEGER is 64-bit; Postgres' is 32-bit, so there every INTEGER column is BIGINT.
const bigint = (sql: string) => sql.replace(/\bINTEGER\b/g, "BIGINT");

const SCHEMA = [
  `CREATE TABLE erp_customers (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL, currency TEXT NOT NULL,
      payment_terms_days INTEGER NOT NULL, credit_limit_minor INTEGER NOT NULL)`,
  `CREATE TABLE erp_suppliers (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL, currency TEXT NOT NULL,
      lead_time_days INTEGER NOT NULL CHECK (lead_time_days > 0))`,
  "CREATE TABLE erp_locations (id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL)",
  `CREATE TABLE erp_items (
      sku TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,
      unit_cost_minor INTEGER NOT NULL, list_price_minor INTEGER NOT NULL, currency TEXT NOT NULL,
      supplier_id TEXT NOT NULL REFERENCES erp_suppliers (id))`,
  // deal_id UNIQUE: a deal never gets two orders, whatever the callers do.
  `CREATE TABLE erp_sales_orders (
      id TEXT PRIMARY KEY, deal_id TEXT NOT NULL UNIQUE,
      customer_id TEXT NOT NULL REFERENCES erp_customers (id),
      status TEXT NOT NULL CHECK (status IN ('draft', 'confirmed', 'shipped')),
      order_date TEXT NOT NULL, currency TEXT NOT NULL,
      total_minor INTEGER NOT NULL, total_usd_minor INTEGER NOT NULL, cost_usd_minor INTEGER NOT NULL,
      location_id TEXT, ship_date TEXT, confirmed_on TEXT, created_by TEXT)`,
  `CREATE TABLE erp_sales_order_lines (
      id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES erp_sales_orders (id),
      line_no INTEGER NOT NULL, order_date TEXT NOT NULL, sku TEXT NOT NULL REFERENCES erp_items (sku),
      quantity INTEGER NOT NULL CHECK (quantity > 0), unit_price_minor INTEGER NOT NULL,
      amount_minor INTEGER NOT NULL, currency TEXT NOT NULL,
      amount_usd_minor INTEGER NOT NULL, cost_usd_minor INTEGER NOT NULL)`,
  `CREATE TABLE erp_purchase_orders (
      id TEXT PRIMARY KEY, supplier_id TEXT NOT NULL REFERENCES erp_suppliers (id),
      sku TEXT NOT NULL REFERENCES erp_items (sku), location_id TEXT NOT NULL,
      quantity INTEGER NOT NULL CHECK (quantity > 0), unit_cost_minor INTEGER NOT NULL,
      currency TEXT NOT NULL, value_usd_minor INTEGER NOT NULL,
      order_date TEXT NOT NULL, expected_date TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'received', 'cancelled')), created_by TEXT)`,
  // open_orders: one status, oldest first.
  "CREATE INDEX erp_orders_status_date ON erp_sales_orders (status, order_date, id)",
  // order_to_cash_by_customer: one customer's orders by status.
  "CREATE INDEX erp_orders_customer_status ON erp_sales_orders (customer_id, status, total_usd_minor)",
  // order_status: the lines of an order, in order.
  "CREATE INDEX erp_order_lines_order ON erp_sales_order_lines (order_id, line_no)",
  // item_margins: the lines booked in a period (order_date is copied from the order for this),
  // covering the per-SKU sums so the table itself is never read.
  "CREATE INDEX erp_order_lines_margin ON erp_sales_order_lines (order_date, sku, quantity, amount_usd_minor, cost_usd_minor)",
  // item_margins for named SKUs.
  "CREATE INDEX erp_order_lines_sku ON erp_sales_order_lines (sku, order_id)",
  // purchase_orders: one status, by expected date; per supplier; per SKU.
  "CREATE INDEX erp_pos_status_expected ON erp_purchase_orders (status, expected_date, id)",
  "CREATE INDEX erp_pos_supplier_status ON erp_purchase_orders (supplier_id, status, expected_date)",
  "CREATE INDEX erp_pos_sku_status ON erp_purchase_orders (sku, status)",
  // supplier_lead_times: items per supplier; item_margins: one category.
  "CREATE INDEX erp_items_supplier ON erp_items (supplier_id)",
  "CREATE INDEX erp_items_category ON erp_items (category)",
];

/**
 * The ERP schema, for SQLite and Postgres (the conformance kit checks both build the same
 * tables, columns, keys and indexes). Tables are prefixed `erp_` so the four packs can share one
 * store. Amounts are integer minor units in the row's currency; `*_usd_minor` columns hold the
 * same amount at the world's fixed rates so cross-currency aggregates are one SUM. Every index
 * serves a named tool query (comment beside it).
 */
export const migrations: Migration[] = [
  {
    id: "0001_erp_schema",
    statements: SCHEMA,
    postgres: SCHEMA.map(bigint),
  },
  {
    // The CRM deals the ERP may order against (won or still open; a lost deal is final), replicated
    // from the shared world: create_sales_order refuses a deal id the CRM does not have, or a deal of
    // another account. Only identity is kept; the CRM stays the owner of stages and amounts.
    id: "0002_erp_deals",
    statements: [
      `CREATE TABLE erp_deals (
        id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES erp_customers (id), currency TEXT NOT NULL)`,
    ],
  },
  // Imported rows name the record they came from (Odoo, ERPNext …); the kit records per table
  // which system filled it and as of when.
  trackProvenance("0003_erp_provenance", [
    "erp_customers",
    "erp_suppliers",
    "erp_locations",
    "erp_items",
    "erp_sales_orders",
    "erp_sales_order_lines",
    "erp_purchase_orders",
  ]),
  // Keys the cross-system identity map matches customers and suppliers on: email (and its
  // domain) and tax id. NULL for the generated world.
  {
    id: "0004_erp_identity_keys",
    statements: [
      "ALTER TABLE erp_customers ADD COLUMN email TEXT",
      "ALTER TABLE erp_customers ADD COLUMN tax_id TEXT",
      "ALTER TABLE erp_suppliers ADD COLUMN email TEXT",
      "ALTER TABLE erp_suppliers ADD COLUMN tax_id TEXT",
    ],
  },
  {
    // USD aggregates convert each currency's native total once (the rule every pack states):
    // the covering indexes carry currency and native amounts instead of per-row USD.
    id: "0005_erp_native_amount_indexes",
    statements: [
      "DROP INDEX erp_order_lines_margin",
      "CREATE INDEX erp_order_lines_margin ON erp_sales_order_lines (order_date, sku, currency, quantity, amount_minor, cost_usd_minor)",
      "DROP INDEX erp_orders_customer_status",
      "CREATE INDEX erp_orders_customer_status ON erp_sales_orders (customer_id, status, currency, total_minor, total_usd_minor)",
    ],
  },
  {
    // Imported stores: the deals the ERP's own orders name (Source Document) come with the ERP
    // import; the CRM's open and won deals are copied in by the identity map (afterIdentity), with
    // `ref` = the deal's id in its CRM, which is how an imported order names it.
    id: "0006_erp_deal_refs",
    statements: ["ALTER TABLE erp_deals ADD COLUMN ref TEXT"],
  },
  trackProvenance("0007_erp_deals_provenance", ["erp_deals"]),
  // open_orders' totals per status and currency, kept current by triggers (open-order-totals.ts).
  openOrderTotalsMigration("0008_erp_open_order_totals"),
  {
    // order_to_cash_by_customer: the open orders per customer with their amounts and ship dates,
    // covered, so ranking customers by open amount reads this index and never the orders table.
    id: "0009_erp_orders_open_customer",
    statements: [
      "CREATE INDEX erp_orders_open_customer ON erp_sales_orders (status, customer_id, ship_date, total_minor, total_usd_minor)",
    ],
  },
  // purchase_orders' totals per status and currency, kept current by triggers (po-totals.ts).
  poTotalsMigration("0010_erp_po_totals"),
  // Open orders per customer in rank order, and the open orders oldest first, for open_orders and
  // order_to_cash_by_customer (open-orders-by-customer.ts).
  openByCustomerMigration("0011_erp_open_by_customer"),
  // item_margins' sales per month and SKU, kept current by triggers (item-month-sales.ts).
  itemMonthsMigration("0012_erp_item_months"),
  {
    // Late confirmed orders (open_orders, order_to_cash_by_customer): the confirmed orders by
    // planned ship date. On Postgres the (status, ship_date) index lost to a bitmap AND of two
    // larger ones that read every confirmed order (35 ms at 10^7 rows); this one reads the late ones.
    id: "0013_erp_orders_confirmed_ship",
    statements: [
      "CREATE INDEX erp_orders_confirmed_ship ON erp_sales_orders (ship_date, currency) WHERE status = 'confirmed'",
    ],
  },
  // item_margins' quarters, one row per SKU (item-month-sales.ts).
  itemQuartersMigration("0014_erp_item_quarters"),
  // Postgres: the rollups with few groups kept once per statement (pack-kit statementRollupTriggersMigration):
  // bulk writes into a handful of groups were quadratic with row triggers.
  statementRollupTriggersMigration("0015_erp_rollups_per_statement", [
    OPEN_ORDER_TOTALS_ROLLUP,
    PO_TOTALS_ROLLUP,
  ]),
];

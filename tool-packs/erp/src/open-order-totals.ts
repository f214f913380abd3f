import type { Migration } from "@toolpacks/pack-kit";

/**
 * The open-order rollup: per open status (draft, confirmed) and currency, how many orders and
 * their native total. open_orders reads its unfiltered totals here (a handful of rows) instead of
 * grouping every open order. Database triggers keep it current in the same transaction as every
 * insert, update or delete of `erp_sales_orders`, whoever writes (the write tools, seeding, file
 * imports, API sync, removals), so it cannot drift from the rows. A group whose last order
 * leaves stays as a row of zeros; readers skip `orders = 0`.
 */
export const OPEN_ORDER_TOTALS_TABLE = "erp_open_order_totals";

const OPEN = "('draft', 'confirmed')";

const TABLE = `CREATE TABLE erp_open_order_totals (
  status TEXT NOT NULL, currency TEXT NOT NULL, orders INTEGER NOT NULL, amount_minor INTEGER NOT NULL,
  PRIMARY KEY (status, currency))`;

// From the rows already there (a store migrated after it was seeded or imported).
const FILL = `INSERT INTO erp_open_order_totals (status, currency, orders, amount_minor)
  SELECT status, currency, COUNT(*), SUM(total_minor) FROM erp_sales_orders WHERE status IN ${OPEN}
  GROUP BY status, currency`;

// late_orders without the rollup: confirmed orders whose planned ship date has passed, one range.
const LATE_INDEX = "CREATE INDEX erp_orders_status_ship ON erp_sales_orders (status, ship_date)";

/** Adds an order of `row` (NEW or OLD) with sign +1 or -1; the upsert names the table (Postgres). */
const upsert = (row: string, sign: "+" | "-") =>
  `INSERT INTO erp_open_order_totals (status, currency, orders, amount_minor)
    SELECT ${row}.status, ${row}.currency, ${sign}1, ${sign}${row}.total_minor WHERE ${row}.status IN ${OPEN}
    ON CONFLICT (status, currency) DO UPDATE SET orders = erp_open_order_totals.orders + excluded.orders,
      amount_minor = erp_open_order_totals.amount_minor + excluded.amount_minor`;

const TRIGGERS_SQLITE = [
  `CREATE TRIGGER erp_open_totals_insert AFTER INSERT ON erp_sales_orders BEGIN ${upsert("NEW", "+")}; END`,
  `CREATE TRIGGER erp_open_totals_delete AFTER DELETE ON erp_sales_orders BEGIN ${upsert("OLD", "-")}; END`,
  `CREATE TRIGGER erp_open_totals_update AFTER UPDATE OF status, currency, total_minor ON erp_sales_orders
    BEGIN ${upsert("OLD", "-")}; ${upsert("NEW", "+")}; END`,
];

// Postgres: one function for the three triggers (same names as on SQLite). The upsert's row
// lock serialises concurrent writers of one (status, currency) group, so each adds to the
// latest committed figure.
const TRIGGERS_POSTGRES = [
  `CREATE FUNCTION erp_open_totals_track() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN ${upsert("OLD", "-")}; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN ${upsert("NEW", "+")}; END IF;
    RETURN NULL;
  END $$`,
  "CREATE TRIGGER erp_open_totals_insert AFTER INSERT ON erp_sales_orders FOR EACH ROW EXECUTE FUNCTION erp_open_totals_track()",
  "CREATE TRIGGER erp_open_totals_delete AFTER DELETE ON erp_sales_orders FOR EACH ROW EXECUTE FUNCTION erp_open_totals_track()",
  `CREATE TRIGGER erp_open_totals_update AFTER UPDATE OF status, currency, total_minor ON erp_sales_orders
    FOR EACH ROW EXECUTE FUNCTION erp_open_totals_track()`,
];

/** The migration that creates, fills and starts maintaining the rollup, on both dialects. */
export function openOrderTotalsMigration(id: string): Migration {
  return {
    id,
    statements: [TABLE, FILL, LATE_INDEX, ...TRIGGERS_SQLITE],
    postgres: [TABLE.replace(/\bINTEGER\b/g, "BIGINT"), FILL, LATE_INDEX, ...TRIGGERS_POSTGRES],
  };
}

/**
 * SQL: the open orders' count and native total per status and currency from the rollup, as
 * open_orders' unfiltered query computes them from the rows (`?` = the statuses asked).
 */
export function openTotalsSql(statuses: number): string {
  return `SELECT status, currency, orders, amount_minor AS amount FROM erp_open_order_totals
    WHERE orders <> 0 AND status IN (${Array.from({ length: statuses }, () => "?").join(", ")})`;
}

import { type Migration, type RollupSpec, rollupMigration } from "@toolpacks/pack-kit";

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

/** The rollup's definition: its `rollupMigration` spec, less the migration's id. */
export const OPEN_ORDER_TOTALS_ROLLUP = {
  table: OPEN_ORDER_TOTALS_TABLE,
  source: "erp_sales_orders",
  triggers: "erp_open_totals",
  create: TABLE,
  fill: FILL,
  keys: ["status", "currency"],
  count: "orders",
  sums: { amount_minor: (r) => `${r}.total_minor` },
  when: (r) => `${r}.status IN ${OPEN}`,
  watch: ["status", "currency", "total_minor"],
  prune: false,
  also: [LATE_INDEX],
} satisfies Omit<RollupSpec, "id">;

/** The migration that creates, fills and starts maintaining the rollup, on both dialects. */
export function openOrderTotalsMigration(id: string): Migration {
  return rollupMigration({ id, ...OPEN_ORDER_TOTALS_ROLLUP });
}

/**
 * SQL: the open orders' count and native total per status and currency from the rollup, as
 * open_orders' unfiltered query computes them from the rows (`?` = the statuses asked).
 */
export function openTotalsSql(statuses: number): string {
  return `SELECT status, currency, orders, amount_minor AS amount FROM erp_open_order_totals
    WHERE orders <> 0 AND status IN (${Array.from({ length: statuses }, () => "?").join(", ")})`;
}

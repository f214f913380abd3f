import { type Migration, rollupMigration, type TriggerRow } from "@toolpacks/pack-kit";

/**
 * The per-customer open-order rollup: per customer with unshipped orders, how many and their
 * native and USD totals, in all and per open status (draft, confirmed). open_orders' top
 * customers and order_to_cash_by_customer's ranking read it through an index in rank order
 * (USD amount descending, then customer id), so the first page stops after a few rows instead
 * of grouping every open order (43 / 124 ms and 32 / 140 ms on SQLite / Postgres at 10^7 rows).
 * Database triggers keep it current in the same transaction as every write of
 * `erp_sales_orders`, whoever writes; a customer whose last open order ships or leaves is
 * deleted, so the rollup holds exactly the customers a GROUP BY of the open orders returns.
 * Each row also carries its customer's currency and credit limit (kept by triggers on
 * `erp_customers`), so order_to_cash_by_customer's totals never join the customers.
 */
export const OPEN_BY_CUSTOMER_TABLE = "erp_open_by_customer";

const OPEN = "('draft', 'confirmed')";
const OPEN_STATUSES = ["draft", "confirmed"] as const;

/** An open status, as the rollup's column prefix. */
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** What a source row (`NEW` or `OLD`) adds to a per-status column: `value` in that status, else 0. */
const inStatus = (status: OpenStatus, value: (r: TriggerRow) => string) => (r: TriggerRow) =>
  `CASE WHEN ${r}.status = '${status}' THEN ${value(r)} ELSE 0 END`;

/** The migration that creates, fills and starts maintaining the rollup, on both dialects. */
export function openByCustomerMigration(id: string): Migration {
  const per = (status: OpenStatus) => ({
    [`${status}_orders`]: inStatus(status, () => "1"),
    [`${status}_minor`]: inStatus(status, (r) => `${r}.total_minor`),
    [`${status}_usd_minor`]: inStatus(status, (r) => `${r}.total_usd_minor`),
  });
  const fillPer = (status: OpenStatus) =>
    `SUM(CASE WHEN o.status = '${status}' THEN 1 ELSE 0 END), SUM(CASE WHEN o.status = '${status}' THEN o.total_minor ELSE 0 END), SUM(CASE WHEN o.status = '${status}' THEN o.total_usd_minor ELSE 0 END)`;
  const rollup = rollupMigration({
    id,
    table: OPEN_BY_CUSTOMER_TABLE,
    source: "erp_sales_orders",
    triggers: "erp_open_by_customer",
    create: `CREATE TABLE erp_open_by_customer (
  customer_id TEXT NOT NULL, orders INTEGER NOT NULL, amount_minor INTEGER NOT NULL, amount_usd_minor INTEGER NOT NULL,
  draft_orders INTEGER NOT NULL, draft_minor INTEGER NOT NULL, draft_usd_minor INTEGER NOT NULL,
  confirmed_orders INTEGER NOT NULL, confirmed_minor INTEGER NOT NULL, confirmed_usd_minor INTEGER NOT NULL,
  currency TEXT, credit_limit_minor INTEGER,
  PRIMARY KEY (customer_id)) WITHOUT ROWID`,
    fill: `INSERT INTO erp_open_by_customer (customer_id, orders, amount_minor, amount_usd_minor,
    draft_orders, draft_minor, draft_usd_minor, confirmed_orders, confirmed_minor, confirmed_usd_minor,
    currency, credit_limit_minor)
  SELECT o.customer_id, COUNT(*), SUM(o.total_minor), SUM(o.total_usd_minor), ${fillPer("draft")}, ${fillPer("confirmed")},
    MAX(c.currency), MAX(c.credit_limit_minor)
  FROM erp_sales_orders o LEFT JOIN erp_customers c ON c.id = o.customer_id
  WHERE o.status IN ${OPEN} GROUP BY o.customer_id`,
    keys: ["customer_id"],
    count: "orders",
    sums: {
      amount_minor: (r) => `${r}.total_minor`,
      amount_usd_minor: (r) => `${r}.total_usd_minor`,
      ...per("draft"),
      ...per("confirmed"),
    },
    when: (r) => `${r}.status IN ${OPEN}`,
    watch: ["status", "customer_id", "total_minor", "total_usd_minor"],
    prune: true,
    also: [
      // The ranking over both open statuses, and per status over the customers that have one.
      "CREATE INDEX erp_open_by_customer_rank ON erp_open_by_customer (amount_usd_minor DESC, customer_id)",
      ...OPEN_STATUSES.map(
        (s) =>
          `CREATE INDEX erp_open_by_customer_${s} ON erp_open_by_customer (${s}_usd_minor DESC, customer_id) WHERE ${s}_orders > 0`,
      ),
      // open_orders' page over both open statuses, oldest first: LIMIT stops after a page instead
      // of sorting every open order (the status index serves one status at a time).
      `CREATE INDEX erp_orders_open_date ON erp_sales_orders (order_date, id) WHERE status IN ${OPEN}`,
    ],
  });
  return {
    ...rollup,
    statements: [...rollup.statements, ...CUSTOMER_FACTS.sqlite],
    postgres: [...(rollup.postgres ?? []), ...CUSTOMER_FACTS.postgres],
  };
}

// The customer's currency and credit limit, copied onto its rollup row when the row is created
// (a customer's first open order) and whenever they change, so totals per currency and the count
// of customers over their limit read the rollup alone instead of joining every customer with
// open orders. The foreign key keeps a customer with orders from leaving or changing its id.
const COPY_FACTS = `UPDATE erp_open_by_customer SET (currency, credit_limit_minor) =
      (SELECT currency, credit_limit_minor FROM erp_customers WHERE id = NEW.customer_id)
    WHERE customer_id = NEW.customer_id`;
const UPDATE_FACTS = `UPDATE erp_open_by_customer SET currency = NEW.currency, credit_limit_minor = NEW.credit_limit_minor
    WHERE customer_id = NEW.id`;
const CUSTOMER_FACTS = {
  sqlite: [
    `CREATE TRIGGER erp_open_by_customer_facts AFTER INSERT ON erp_open_by_customer BEGIN ${COPY_FACTS}; END`,
    `CREATE TRIGGER erp_customers_open_facts AFTER UPDATE OF currency, credit_limit_minor ON erp_customers
    BEGIN ${UPDATE_FACTS}; END`,
  ],
  postgres: [
    `CREATE FUNCTION erp_open_by_customer_facts() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${COPY_FACTS}; RETURN NULL; END $$`,
    "CREATE TRIGGER erp_open_by_customer_facts AFTER INSERT ON erp_open_by_customer FOR EACH ROW EXECUTE FUNCTION erp_open_by_customer_facts()",
    `CREATE FUNCTION erp_customers_open_facts() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN ${UPDATE_FACTS}; RETURN NULL; END $$`,
    `CREATE TRIGGER erp_customers_open_facts AFTER UPDATE OF currency, credit_limit_minor ON erp_customers
    FOR EACH ROW EXECUTE FUNCTION erp_customers_open_facts()`,
  ],
};

/**
 * SQL: the customers with open orders (of `status`, or of both open statuses) ranked by open USD
 * amount descending, then id, with their name, currency and credit limit and their open order
 * count and native amount, read from the rollup in the order of its index: the first `?`
 * customers after skipping `?`. `indexedBy` is the dialect's planner hint (`sqlFor`).
 */
export function rankedOpenCustomersSql(
  status: OpenStatus | undefined,
  indexedBy: (index: string) => string,
): string {
  const col = status
    ? { orders: `r.${status}_orders`, minor: `r.${status}_minor`, usd: `r.${status}_usd_minor` }
    : { orders: "r.orders", minor: "r.amount_minor", usd: "r.amount_usd_minor" };
  return `SELECT r.customer_id, c.name, c.currency, c.credit_limit_minor, ${col.orders} AS orders, ${col.minor} AS amount_minor
    FROM erp_open_by_customer r${indexedBy(status ? `erp_open_by_customer_${status}` : "erp_open_by_customer_rank")}
    JOIN erp_customers c ON c.id = r.customer_id${status ? ` WHERE r.${status}_orders > 0` : ""}
    ORDER BY ${col.usd} DESC, r.customer_id LIMIT ? OFFSET ?`;
}

import { type Migration, rollupMigration } from "@toolpacks/pack-kit";

/**
 * The AR aging rollup: per currency and due date, how many invoices are open and what they still
 * owe. ar_aging reads its buckets here (one row per currency and due date that has open
 * invoices, whatever the number of invoices) instead of grouping the open slice of
 * `billing_invoices`. It is keyed by due date, not by bucket, because a bucket depends on the
 * as-of date the question is asked on: the reader sums the due dates into buckets as of then.
 * Database triggers keep it current in the same transaction as every insert, update or delete
 * of an invoice, whoever writes (payments and credit notes through their running totals, invoice
 * creation, seeding, file imports, API sync, removals), so it cannot drift from the rows. A due
 * date whose last open invoice is settled or removed is deleted, so only open ones are kept.
 */
export const AGING_ROLLUP_TABLE = "billing_open_by_due";

const TABLE = `CREATE TABLE billing_open_by_due (
  currency TEXT NOT NULL, due_on TEXT NOT NULL, invoices INTEGER NOT NULL, open_minor INTEGER NOT NULL,
  PRIMARY KEY (currency, due_on)) WITHOUT ROWID`;

// From the rows already there (a store migrated after it was seeded or imported).
const FILL = `INSERT INTO billing_open_by_due (currency, due_on, invoices, open_minor)
  SELECT currency, due_on, COUNT(*), SUM(amount_minor - amount_paid_minor - amount_credited_minor)
  FROM billing_invoices WHERE amount_minor > amount_paid_minor + amount_credited_minor GROUP BY currency, due_on`;

/** The migration that creates, fills and starts maintaining the rollup, on both dialects. */
export function agingRollupMigration(id: string): Migration {
  return rollupMigration({
    id,
    table: AGING_ROLLUP_TABLE,
    source: "billing_invoices",
    triggers: "billing_open_due",
    create: TABLE,
    fill: FILL,
    keys: ["currency", "due_on"],
    count: "invoices",
    sums: { open_minor: (r) => `(${r}.amount_minor - ${r}.amount_paid_minor - ${r}.amount_credited_minor)` },
    when: (r) => `${r}.amount_minor > ${r}.amount_paid_minor + ${r}.amount_credited_minor`,
    watch: ["amount_minor", "amount_paid_minor", "amount_credited_minor", "currency", "due_on"],
    prune: true,
  });
}

/**
 * SQL: open invoices and their open amount per currency and aging bucket, from the rollup, as
 * ar_aging computes them from the rows. Binds `bucketEdges(asOf)` first, then the currency when
 * `oneCurrency`.
 */
export function agingFromRollupSql(bucketSql: string, oneCurrency: boolean): string {
  return `SELECT currency, ${bucketSql} AS bucket, SUM(invoices) AS invoices, SUM(open_minor) AS open_minor
    FROM billing_open_by_due WHERE invoices <> 0${oneCurrency ? " AND currency = ?" : ""}
    GROUP BY currency, bucket ORDER BY currency`;
}

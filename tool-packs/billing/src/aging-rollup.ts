import type { Migration } from "@toolpacks/pack-kit";

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

/** `OPEN_SQL` and the open amount of the invoice `row` (NEW or OLD). */
const openOf = (row: string) => ({
  open: `${row}.amount_minor > ${row}.amount_paid_minor + ${row}.amount_credited_minor`,
  amount: `(${row}.amount_minor - ${row}.amount_paid_minor - ${row}.amount_credited_minor)`,
});

/** Adds the invoice `row` (NEW or OLD) with sign + or - when it is open; the upsert names the table (Postgres). */
const upsert = (row: string, sign: "+" | "-") =>
  `INSERT INTO billing_open_by_due (currency, due_on, invoices, open_minor)
    SELECT ${row}.currency, ${row}.due_on, ${sign}1, ${sign}${openOf(row).amount} WHERE ${openOf(row).open}
    ON CONFLICT (currency, due_on) DO UPDATE SET invoices = billing_open_by_due.invoices + excluded.invoices,
      open_minor = billing_open_by_due.open_minor + excluded.open_minor`;

/** Drops the group of `row` (OLD) once no open invoice is left in it. */
const prune = (row: string) =>
  `DELETE FROM billing_open_by_due WHERE currency = ${row}.currency AND due_on = ${row}.due_on AND invoices = 0`;

const COLUMNS = "amount_minor, amount_paid_minor, amount_credited_minor, currency, due_on";

const TRIGGERS_SQLITE = [
  `CREATE TRIGGER billing_open_due_insert AFTER INSERT ON billing_invoices BEGIN ${upsert("NEW", "+")}; END`,
  `CREATE TRIGGER billing_open_due_delete AFTER DELETE ON billing_invoices
    BEGIN ${upsert("OLD", "-")}; ${prune("OLD")}; END`,
  `CREATE TRIGGER billing_open_due_update AFTER UPDATE OF ${COLUMNS} ON billing_invoices
    BEGIN ${upsert("OLD", "-")}; ${upsert("NEW", "+")}; ${prune("OLD")}; END`,
];

// Postgres: one function for the three triggers (same names as on SQLite). The upsert's row
// lock serialises concurrent writers of one (currency, due date) group, so each adds to the
// latest committed figure.
const TRIGGERS_POSTGRES = [
  `CREATE FUNCTION billing_open_due_track() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN ${upsert("OLD", "-")}; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN ${upsert("NEW", "+")}; END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN ${prune("OLD")}; END IF;
    RETURN NULL;
  END $$`,
  "CREATE TRIGGER billing_open_due_insert AFTER INSERT ON billing_invoices FOR EACH ROW EXECUTE FUNCTION billing_open_due_track()",
  "CREATE TRIGGER billing_open_due_delete AFTER DELETE ON billing_invoices FOR EACH ROW EXECUTE FUNCTION billing_open_due_track()",
  `CREATE TRIGGER billing_open_due_update AFTER UPDATE OF ${COLUMNS} ON billing_invoices
    FOR EACH ROW EXECUTE FUNCTION billing_open_due_track()`,
];

/** The migration that creates, fills and starts maintaining the rollup, on both dialects. */
export function agingRollupMigration(id: string): Migration {
  return {
    id,
    statements: [TABLE, FILL, ...TRIGGERS_SQLITE],
    postgres: [
      TABLE.replace(/\bINTEGER\b/g, "BIGINT").replace(/\s+WITHOUT ROWID$/, ""),
      FILL,
      ...TRIGGERS_POSTGRES,
    ],
  };
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

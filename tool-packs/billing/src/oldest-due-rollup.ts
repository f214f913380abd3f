import { type Migration, rollupMigration } from "@toolpacks/pack-kit";
import { invoiceRefreshTriggers } from "./invoice-refresh-triggers.js";
import { OPEN_SQL } from "./open-sql.js";

/**
 * The oldest open due date of every account: one row per account and currency that has open
 * invoices, plus one row per account under the currency `*` for its oldest open invoice in any
 * currency. "How many accounts owe something due on or before day D" (overdue_invoices' and
 * ar_aging's account counts, dunning_candidates' accounts per stage) is then a count of these
 * rows with `oldest_due_on <= D`, and the histogram below turns that count into a sum over at
 * most one row per currency and day, whatever the number of accounts or invoices. Distinct
 * accounts do not add across due dates; oldest due dates do, because each account has one.
 */
export const OLDEST_OPEN_TABLE = "billing_open_oldest";

/** Per currency (`*`: any currency) and oldest open due date, how many accounts have it. */
export const OLDEST_COUNTS_TABLE = "billing_open_oldest_counts";

/** The `currency` of the rows that stand for every currency of an account. */
export const ANY_CURRENCY = "*";

const TABLE = `CREATE TABLE billing_open_oldest (
  account_id TEXT NOT NULL, currency TEXT NOT NULL, oldest_due_on TEXT NOT NULL,
  PRIMARY KEY (account_id, currency)) WITHOUT ROWID`;

const FILL = [
  `INSERT INTO billing_open_oldest (account_id, currency, oldest_due_on)
  SELECT account_id, currency, MIN(due_on) FROM billing_invoices WHERE ${OPEN_SQL} GROUP BY account_id, currency`,
  `INSERT INTO billing_open_oldest (account_id, currency, oldest_due_on)
  SELECT account_id, '${ANY_CURRENCY}', MIN(due_on) FROM billing_invoices WHERE ${OPEN_SQL} GROUP BY account_id`,
];

/**
 * Statements that make the rows of `row`'s account (its currency and `*`) equal to its open
 * invoices as they are now: upsert the minimum, delete the row when nothing is open. They read
 * the account's open invoices down `billing_invoices_open_account` (a few index entries), and
 * an unchanged minimum writes nothing, so the histogram is not touched.
 */
function refresh(row: "NEW" | "OLD"): string[] {
  const scopes = [
    { currency: `${row}.currency`, match: ` AND currency = ${row}.currency` },
    { currency: `'${ANY_CURRENCY}'`, match: "" },
  ];
  return scopes.flatMap(({ currency, match }) => [
    `INSERT INTO billing_open_oldest (account_id, currency, oldest_due_on)
      SELECT account_id, ${currency}, MIN(due_on) FROM billing_invoices
      WHERE account_id = ${row}.account_id${match} AND ${OPEN_SQL} GROUP BY account_id
      ON CONFLICT (account_id, currency) DO UPDATE SET oldest_due_on = excluded.oldest_due_on
      WHERE billing_open_oldest.oldest_due_on <> excluded.oldest_due_on`,
    `DELETE FROM billing_open_oldest WHERE account_id = ${row}.account_id AND currency = ${currency}
      AND NOT EXISTS (SELECT 1 FROM billing_invoices WHERE account_id = ${row}.account_id${match} AND ${OPEN_SQL})`,
  ]);
}

// Columns whose change can change an account's oldest open due date.
/** The triggers that recompute an invoice's account rows on every write of the invoice. */
export const OLDEST_OPEN_TRIGGERS = invoiceRefreshTriggers("billing_open_oldest", refresh);

/**
 * The migration that creates, fills and keeps `billing_open_oldest` current: triggers on every
 * insert, update and delete of an invoice recompute its account's rows in the same transaction,
 * whoever writes (tools, seeding, imports, sync, removals).
 */
export function oldestOpenMigration(id: string): Migration {
  return {
    id,
    statements: [TABLE, ...FILL, ...OLDEST_OPEN_TRIGGERS.sqlite()],
    postgres: [TABLE.replace(/\s+WITHOUT ROWID$/, ""), ...FILL, ...OLDEST_OPEN_TRIGGERS.postgres()],
  };
}

/** The histogram of oldest open due dates, kept by the kit's rollup triggers on `billing_open_oldest`. */
export function oldestCountsMigration(id: string): Migration {
  return rollupMigration({
    id,
    table: OLDEST_COUNTS_TABLE,
    source: OLDEST_OPEN_TABLE,
    triggers: "billing_open_oldest_counts",
    create: `CREATE TABLE billing_open_oldest_counts (
  currency TEXT NOT NULL, oldest_due_on TEXT NOT NULL, accounts INTEGER NOT NULL,
  PRIMARY KEY (currency, oldest_due_on)) WITHOUT ROWID`,
    fill: `INSERT INTO billing_open_oldest_counts (currency, oldest_due_on, accounts)
  SELECT currency, oldest_due_on, COUNT(*) FROM billing_open_oldest GROUP BY currency, oldest_due_on`,
    keys: ["currency", "oldest_due_on"],
    count: "accounts",
    sums: {},
    when: () => "true",
    watch: ["currency", "oldest_due_on"],
    prune: true,
  });
}

/**
 * SQL: how many accounts have an open invoice due on or before the bound day, in the bound
 * currency (or `*` for any currency): a range of at most one histogram row per day.
 */
export const ACCOUNTS_DUE_BY_SQL = `SELECT COALESCE(SUM(accounts), 0) AS n FROM ${OLDEST_COUNTS_TABLE}
  WHERE currency = ? AND oldest_due_on <= ?`;

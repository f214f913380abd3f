import { type Migration, rollupMigration } from "@toolpacks/pack-kit";
import { invoiceRefreshTriggers } from "./invoice-refresh-triggers.js";
import { OPEN_SQL } from "./open-sql.js";

/**
 * Open invoices per account, currency and due date, each cell tagged with its account's oldest
 * open due date in that currency (`billing_open_cells`), and their sum per currency, oldest due
 * date and due date (`billing_open_by_oldest`). dunning_candidates' totals per stage need "what
 * is overdue as of a day, by the stage of the account it belongs to": the day cuts the due dates
 * and the stage is decided by the oldest one, so the second table answers it with one row per
 * (currency, oldest, due) instead of one per invoice, the as-of day applied when it is read.
 * Kept by triggers: every write of an invoice rebuilds its account's cells in that currency (a
 * few rows), in the writer's transaction, whoever writes.
 */
export const OPEN_CELLS_TABLE = "billing_open_cells";

/** Per currency, oldest open due date of the account and due date: open invoices and amount. */
export const OPEN_BY_OLDEST_TABLE = "billing_open_by_oldest";

const TABLE = `CREATE TABLE billing_open_cells (
  account_id TEXT NOT NULL, currency TEXT NOT NULL, due_on TEXT NOT NULL, oldest_due_on TEXT NOT NULL,
  invoices INTEGER NOT NULL, open_minor INTEGER NOT NULL,
  PRIMARY KEY (account_id, currency, due_on)) WITHOUT ROWID`;

const FILL = `INSERT INTO billing_open_cells (account_id, currency, due_on, oldest_due_on, invoices, open_minor)
  SELECT i.account_id, i.currency, i.due_on, o.oldest_due_on, COUNT(*),
    SUM(i.amount_minor - i.amount_paid_minor - i.amount_credited_minor)
  FROM billing_invoices i JOIN billing_open_oldest o ON o.account_id = i.account_id AND o.currency = i.currency
  WHERE i.amount_minor > i.amount_paid_minor + i.amount_credited_minor
  GROUP BY i.account_id, i.currency, i.due_on, o.oldest_due_on`;

/** Statements that rebuild the cells of `row`'s account and currency from its open invoices now. */
const rebuild = (row: "NEW" | "OLD") => [
  `DELETE FROM billing_open_cells WHERE account_id = ${row}.account_id AND currency = ${row}.currency`,
  `INSERT INTO billing_open_cells (account_id, currency, due_on, oldest_due_on, invoices, open_minor)
    SELECT account_id, currency, due_on,
      (SELECT MIN(due_on) FROM billing_invoices WHERE account_id = ${row}.account_id AND currency = ${row}.currency AND ${OPEN_SQL}),
      COUNT(*), SUM(amount_minor - amount_paid_minor - amount_credited_minor)
    FROM billing_invoices WHERE account_id = ${row}.account_id AND currency = ${row}.currency AND ${OPEN_SQL}
    GROUP BY account_id, currency, due_on`,
];

// Columns whose change can change an account's cells.
/** The triggers that recompute an invoice's account rows on every write of the invoice. */
export const OPEN_CELLS_TRIGGERS = invoiceRefreshTriggers("billing_open_cells", rebuild);

/** The migration that creates, fills and keeps `billing_open_cells` current (after `billing_open_oldest`). */
export function openCellsMigration(id: string): Migration {
  return {
    id,
    statements: [TABLE, FILL, ...OPEN_CELLS_TRIGGERS.sqlite()],
    postgres: [
      TABLE.replace(/\bINTEGER\b/g, "BIGINT").replace(/\s+WITHOUT ROWID$/, ""),
      FILL,
      ...OPEN_CELLS_TRIGGERS.postgres(),
      // Statistics now, not at autovacuum's next pass (the earlier oldest-date tables too, which
      // their own migrations left without): without them the planner scans these tables.
      "ANALYZE billing_open_cells",
      "ANALYZE billing_open_oldest",
      "ANALYZE billing_open_oldest_counts",
    ],
  };
}

/** The rollup of the cells per currency, oldest due date and due date (kit rollup triggers on the cells). */
export function openByOldestMigration(id: string): Migration {
  const migration = rollupMigration({
    id,
    table: OPEN_BY_OLDEST_TABLE,
    source: OPEN_CELLS_TABLE,
    triggers: "billing_open_by_oldest",
    create: `CREATE TABLE billing_open_by_oldest (
  currency TEXT NOT NULL, oldest_due_on TEXT NOT NULL, due_on TEXT NOT NULL,
  cells INTEGER NOT NULL, invoices INTEGER NOT NULL, open_minor INTEGER NOT NULL,
  PRIMARY KEY (currency, oldest_due_on, due_on)) WITHOUT ROWID`,
    fill: `INSERT INTO billing_open_by_oldest (currency, oldest_due_on, due_on, cells, invoices, open_minor)
  SELECT currency, oldest_due_on, due_on, COUNT(*), SUM(invoices), SUM(open_minor) FROM billing_open_cells
  GROUP BY currency, oldest_due_on, due_on`,
    keys: ["currency", "oldest_due_on", "due_on"],
    count: "cells",
    sums: { invoices: (r) => `${r}.invoices`, open_minor: (r) => `${r}.open_minor` },
    when: () => "true",
    watch: ["currency", "oldest_due_on", "due_on", "invoices", "open_minor"],
    prune: true,
  });
  return { ...migration, postgres: [...(migration.postgres ?? []), "ANALYZE billing_open_by_oldest"] };
}

/** Per currency and oldest open due date: open invoices' cells and amount, whatever their due date. */
export const OPEN_OLDEST_TOTALS_TABLE = "billing_open_oldest_totals";

/**
 * The cells summed per currency and oldest due date, and an index of the per-(oldest, due) sums by
 * due date: what is overdue as of a recent day is then "everything open of the accounts overdue
 * by then" minus "their part not due yet", both small reads, instead of every (oldest, due) pair.
 */
export function openOldestTotalsMigration(id: string): Migration {
  const migration = rollupMigration({
    id,
    table: OPEN_OLDEST_TOTALS_TABLE,
    source: OPEN_CELLS_TABLE,
    triggers: "billing_open_oldest_totals",
    create: `CREATE TABLE billing_open_oldest_totals (
  currency TEXT NOT NULL, oldest_due_on TEXT NOT NULL, cells INTEGER NOT NULL, open_minor INTEGER NOT NULL,
  PRIMARY KEY (currency, oldest_due_on)) WITHOUT ROWID`,
    fill: `INSERT INTO billing_open_oldest_totals (currency, oldest_due_on, cells, open_minor)
  SELECT currency, oldest_due_on, COUNT(*), SUM(open_minor) FROM billing_open_cells GROUP BY currency, oldest_due_on`,
    keys: ["currency", "oldest_due_on"],
    count: "cells",
    sums: { open_minor: (r) => `${r}.open_minor` },
    when: () => "true",
    watch: ["currency", "oldest_due_on", "open_minor"],
    prune: true,
    also: [
      `CREATE INDEX billing_open_by_oldest_due ON billing_open_by_oldest (due_on, currency, oldest_due_on, open_minor)`,
    ],
  });
  return {
    ...migration,
    postgres: [
      ...(migration.postgres ?? []),
      `ANALYZE ${OPEN_OLDEST_TOTALS_TABLE}`,
      "ANALYZE billing_open_by_oldest",
    ],
  };
}

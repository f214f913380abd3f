import { type Migration, trackProvenance } from "@toolpacks/pack-kit";
import { accountRollupMigration } from "./account-rollup.js";
import { agingRollupMigration } from "./aging-rollup.js";
import { monthMovesMigration, repeatsMigration } from "./mrr-moves-rollup.js";
import { mrrRollupMigration } from "./mrr-rollup.js";
import { oldestCountsMigration, oldestOpenMigration } from "./oldest-due-rollup.js";
import { openOnlyTriggersMigration } from "./open-only-triggers.js";
import { OPEN_SQL } from "./open-sql.js";
import { openUsdIndexMigration } from "./open-usd-index.js";
import { openByOldestMigration, openCellsMigration, openOldestTotalsMigration } from "./overdue-cells.js";
import { subscriptionMrrMigration, subscriptionTotalsMigration } from "./subscription-mrr.js";

export { OPEN_SQL };

// SQLite's INTEGER is 64-bit; Postgres' is 32-bit, so there every INTEGER column is BIGINT, and
// WITHOUT ROWID (a SQLite storage choice: the primary key is the table) has no Postgres meaning.
const forPostgres = (sql: string) => sql.replace(/\bINTEGER\b/g, "BIGINT").replace(/\s+WITHOUT ROWID$/, "");

const TABLES = [
  `CREATE TABLE billing_accounts (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL, currency TEXT NOT NULL,
    payment_terms_days INTEGER NOT NULL CHECK (payment_terms_days >= 0))`,
  `CREATE TABLE billing_plans (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, interval TEXT NOT NULL,
    price_minor INTEGER NOT NULL, currency TEXT NOT NULL)`,
  `CREATE TABLE billing_subscriptions (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES billing_accounts (id),
    plan_id TEXT NOT NULL REFERENCES billing_plans (id), status TEXT NOT NULL, seats INTEGER NOT NULL,
    price_minor INTEGER NOT NULL, currency TEXT NOT NULL, started_on TEXT NOT NULL, cancelled_on TEXT)`,
  // MRR movements: from effective_on on, the subscription's MRR changes by delta_minor (to
  // mrr_minor). kind is the movement: new (from zero), expansion, contraction, churn (to zero).
  // MRR on a day is the sum of deltas up to it, and a period's movements are the sums of its
  // deltas by kind, so both are one range scan of the (effective_on, ...) covering index.
  `CREATE TABLE billing_mrr_events (
    subscription_id TEXT NOT NULL REFERENCES billing_subscriptions (id), effective_on TEXT NOT NULL,
    account_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('new', 'expansion', 'contraction', 'churn')),
    delta_minor INTEGER NOT NULL, mrr_minor INTEGER NOT NULL CHECK (mrr_minor >= 0), currency TEXT NOT NULL,
    PRIMARY KEY (subscription_id, effective_on)) WITHOUT ROWID`,
  // Revenue per month and currency, kept in step by the write tools (same atomic batch) so
  // revenue_by_period reads at most 36 x currencies rows whatever the number of invoices.
  `CREATE TABLE billing_revenue_monthly (
    month TEXT NOT NULL, currency TEXT NOT NULL, invoices INTEGER NOT NULL DEFAULT 0,
    invoiced_minor INTEGER NOT NULL DEFAULT 0, subscriptions_minor INTEGER NOT NULL DEFAULT 0,
    credited_minor INTEGER NOT NULL DEFAULT 0, collected_minor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, currency)) WITHOUT ROWID`,
  // amount_paid_minor / amount_credited_minor are kept in step with the payment and credit
  // note rows by the write tools (same atomic batch); settled_on is the day they first covered
  // the amount. sales_order_id is UNIQUE: an order is never invoiced twice.
  `CREATE TABLE billing_invoices (
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES billing_accounts (id),
    subscription_id TEXT, sales_order_id TEXT UNIQUE, issued_on TEXT NOT NULL, due_on TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    amount_paid_minor INTEGER NOT NULL DEFAULT 0 CHECK (amount_paid_minor >= 0),
    amount_credited_minor INTEGER NOT NULL DEFAULT 0 CHECK (amount_credited_minor BETWEEN 0 AND amount_minor),
    currency TEXT NOT NULL, settled_on TEXT)`,
  `CREATE TABLE billing_invoice_lines (
    invoice_id TEXT NOT NULL REFERENCES billing_invoices (id), line_no INTEGER NOT NULL, sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0), unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    amount_minor INTEGER NOT NULL, PRIMARY KEY (invoice_id, line_no)) WITHOUT ROWID`,
  `CREATE TABLE billing_payments (
    id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL REFERENCES billing_invoices (id),
    account_id TEXT NOT NULL, paid_on TEXT NOT NULL, amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL, method TEXT NOT NULL)`,
  `CREATE TABLE billing_credit_notes (
    id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL REFERENCES billing_invoices (id),
    account_id TEXT NOT NULL, issued_on TEXT NOT NULL, amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL, reason TEXT NOT NULL)`,
];

// Last line of defence behind the write tools' own checks: two concurrent payments or
// credit notes that each fit alone cannot together exceed the invoice (the second aborts
// its whole batch, so nothing of it is written). They sum the rows, not the invoice's
// running totals, so they hold whatever order rows are loaded in.
const TRIGGERS_SQLITE = [
  `CREATE TRIGGER billing_payments_within_open BEFORE INSERT ON billing_payments
    WHEN NEW.amount_minor + (SELECT COALESCE(SUM(amount_minor), 0) FROM billing_payments WHERE invoice_id = NEW.invoice_id)
      + (SELECT COALESCE(SUM(amount_minor), 0) FROM billing_credit_notes WHERE invoice_id = NEW.invoice_id)
      > (SELECT amount_minor FROM billing_invoices WHERE id = NEW.invoice_id)
    BEGIN SELECT RAISE(ABORT, 'payment exceeds the open amount of the invoice'); END`,
  `CREATE TRIGGER billing_credit_notes_within_amount BEFORE INSERT ON billing_credit_notes
    WHEN NEW.amount_minor + (SELECT COALESCE(SUM(amount_minor), 0) FROM billing_credit_notes WHERE invoice_id = NEW.invoice_id)
      > (SELECT amount_minor FROM billing_invoices WHERE id = NEW.invoice_id)
    BEGIN SELECT RAISE(ABORT, 'credit note exceeds the invoice amount net of credit notes'); END`,
];

// The same two rules on Postgres, as functions (a trigger's WHEN there takes no subqueries).
// Each first locks the invoice row: under READ COMMITTED two concurrent inserts would otherwise
// each sum without the other's uncommitted row; locked, the second sums after the first commits.
// check_violation (SQLSTATE 23514) makes a refusal a constraint failure, as RAISE(ABORT) is.
const withinInvoice = (name: string, table: string, rows: string, message: string) => [
  `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE invoice_minor BIGINT;
  BEGIN
    SELECT amount_minor INTO invoice_minor FROM billing_invoices WHERE id = NEW.invoice_id FOR UPDATE;
    IF NEW.amount_minor + ${rows} > invoice_minor THEN
      RAISE EXCEPTION '${message}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$`,
  `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
];
const PAID_SQL =
  "(SELECT COALESCE(SUM(amount_minor), 0) FROM billing_payments WHERE invoice_id = NEW.invoice_id)";
const CREDITED_SQL =
  "(SELECT COALESCE(SUM(amount_minor), 0) FROM billing_credit_notes WHERE invoice_id = NEW.invoice_id)";
const TRIGGERS_POSTGRES = [
  ...withinInvoice(
    "billing_payments_within_open",
    "billing_payments",
    `${PAID_SQL} + ${CREDITED_SQL}`,
    "payment exceeds the open amount of the invoice",
  ),
  ...withinInvoice(
    "billing_credit_notes_within_amount",
    "billing_credit_notes",
    CREDITED_SQL,
    "credit note exceeds the invoice amount net of credit notes",
  ),
];

const INDEXES = [
  // ar_aging, overdue_invoices, dunning_candidates: the open slice by due date. Covering (every
  // column those tools read), so they never touch the large table.
  `CREATE INDEX billing_invoices_open_due ON billing_invoices
    (due_on, currency, account_id, amount_minor, amount_paid_minor, amount_credited_minor, id) WHERE ${OPEN_SQL}`,
  // check_overdue_accounts, customer_balance: one account's open invoices (covering too).
  `CREATE INDEX billing_invoices_open_account ON billing_invoices
    (account_id, due_on, currency, amount_minor, amount_paid_minor, amount_credited_minor, id) WHERE ${OPEN_SQL}`,
  // customer_balance: one account's invoice history (payment behaviour).
  "CREATE INDEX billing_invoices_account_issued ON billing_invoices (account_id, issued_on)",
  "CREATE INDEX billing_payments_invoice ON billing_payments (invoice_id)",
  // customer_balance and dunning_candidates: an account's last payment.
  "CREATE INDEX billing_payments_account ON billing_payments (account_id, paid_on)",
  "CREATE INDEX billing_credit_notes_invoice ON billing_credit_notes (invoice_id)",
  // mrr_summary: MRR on a day and movements in a period (covering range scans).
  "CREATE INDEX billing_mrr_events_effective ON billing_mrr_events (effective_on, currency, kind, delta_minor)",
  // revenue_by_period: the largest invoices of a range, per currency, without a scan.
  "CREATE INDEX billing_invoices_currency_amount ON billing_invoices (currency, amount_minor, issued_on)",
  "CREATE INDEX billing_subscriptions_account ON billing_subscriptions (account_id)",
];

/**
 * The billing schema, for SQLite and Postgres (the conformance kit checks both build the same
 * tables, columns, keys, indexes and triggers). Tables are prefixed `billing_` so the four packs
 * can share one store. Money columns are integer minor units with the row's ISO currency. Every
 * index serves a named tool query; open invoices get partial indexes because aging, overdue,
 * dunning and the overdue check only ever read the (small) open slice of a large invoice table.
 */
export const migrations: Migration[] = [
  {
    id: "0001_billing_schema",
    statements: [...TABLES, ...TRIGGERS_SQLITE, ...INDEXES],
    postgres: [...TABLES.map(forPostgres), ...TRIGGERS_POSTGRES, ...INDEXES],
  },
  // Imported rows name the record they came from (source_system, source_id); the kit records per
  // table which system filled it and as of when. Derived tables (MRR movements, the revenue
  // rollup) and invoice lines are not imported: they are recomputed or absent.
  trackProvenance("0002_billing_provenance", [
    "billing_accounts",
    "billing_plans",
    "billing_subscriptions",
    "billing_invoices",
    "billing_payments",
    "billing_credit_notes",
  ]),
  // Keys the cross-system identity map matches accounts on (a CRM account, an ERP customer):
  // the billing contact's email (its domain too) and the tax id. NULL for the generated world.
  {
    id: "0003_billing_identity_keys",
    statements: [
      "ALTER TABLE billing_accounts ADD COLUMN email TEXT",
      "ALTER TABLE billing_accounts ADD COLUMN tax_id TEXT",
    ],
  },
  // ar_aging's open amounts per currency and due date, kept current by triggers (aging-rollup.ts).
  agingRollupMigration("0004_billing_open_by_due"),
  // mrr_summary's MRR levels per currency, kind and month, kept by triggers (mrr-rollup.ts).
  mrrRollupMigration("0005_billing_mrr_months"),
  // ar_aging's accounts and largest open balances per account and currency (account-rollup.ts).
  accountRollupMigration("0006_billing_open_by_account"),
  // Each account's oldest open due date, and how many accounts have each (oldest-due-rollup.ts):
  // the account counts of overdue_invoices, ar_aging and dunning_candidates' stages.
  oldestOpenMigration("0007_billing_open_oldest"),
  oldestCountsMigration("0008_billing_open_oldest_counts"),
  // overdue_invoices' largest-first page: open invoices by open amount in USD (open-usd-index.ts).
  openUsdIndexMigration("0009_billing_invoices_open_usd"),
  // list_subscriptions: each subscription with its MRR, and totals per currency, status, start and
  // cancellation day, both kept by triggers (subscription-mrr.ts).
  subscriptionMrrMigration("0010_billing_subscription_mrr"),
  subscriptionTotalsMigration("0011_billing_subscription_totals"),
  // dunning_candidates' totals per stage: open invoices per account, currency and due date tagged
  // with the account's oldest open due date, and their sums per (oldest, due) (overdue-cells.ts).
  openCellsMigration("0012_billing_open_cells"),
  openByOldestMigration("0013_billing_open_by_oldest"),
  // mrr_summary's movements: sizes per currency, kind and month, the index of movements by size,
  // and the movements that repeat an earlier one of their subscription (mrr-moves-rollup.ts).
  monthMovesMigration("0014_billing_mrr_month_moves"),
  repeatsMigration("0015_billing_mrr_repeats"),
  // The oldest-date and cells triggers fire only for open invoices (open-only-triggers.ts).
  openOnlyTriggersMigration("0016_billing_open_triggers_open_only"),
  // dunning_candidates' stage totals for recent cut-offs: open amounts per currency and oldest due
  // date, and the (oldest, due) sums indexed by due date (overdue-cells.ts).
  openOldestTotalsMigration("0017_billing_open_oldest_totals"),
];

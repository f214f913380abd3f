import { type Migration, rollupMigration } from "@toolpacks/pack-kit";
import { usdSql } from "./money.js";

/**
 * The open-balance rollup: per account and currency, how many invoices are open and what they
 * still owe. ar_aging counts its accounts here and pages its largest balances down an index of
 * this table ordered by the balance in USD, so a page reads `limit` rows instead of grouping
 * every open invoice; only the page's accounts then read their invoices for the as-of figures
 * (overdue amount, oldest days past due). Database triggers keep it current in the same
 * transaction as every write of an invoice, whoever writes. An account whose last open invoice
 * is settled or removed is deleted, so only open balances are kept.
 */
export const ACCOUNT_ROLLUP_TABLE = "billing_open_by_account";

/** SQL: a balance row's open amount in USD, the order of ar_aging's accounts (the index's key). */
export const OPEN_USD_SQL = usdSql("open_minor");

/** The migration that creates, fills and starts maintaining the rollup, on both dialects. */
export function accountRollupMigration(id: string): Migration {
  return rollupMigration({
    id,
    table: ACCOUNT_ROLLUP_TABLE,
    source: "billing_invoices",
    triggers: "billing_open_account",
    create: `CREATE TABLE billing_open_by_account (
  account_id TEXT NOT NULL, currency TEXT NOT NULL, invoices INTEGER NOT NULL, open_minor INTEGER NOT NULL,
  PRIMARY KEY (account_id, currency)) WITHOUT ROWID`,
    fill: `INSERT INTO billing_open_by_account (account_id, currency, invoices, open_minor)
  SELECT account_id, currency, COUNT(*), SUM(amount_minor - amount_paid_minor - amount_credited_minor)
  FROM billing_invoices WHERE amount_minor > amount_paid_minor + amount_credited_minor GROUP BY account_id, currency`,
    keys: ["account_id", "currency"],
    count: "invoices",
    sums: { open_minor: (r) => `(${r}.amount_minor - ${r}.amount_paid_minor - ${r}.amount_credited_minor)` },
    when: (r) => `${r}.amount_minor > ${r}.amount_paid_minor + ${r}.amount_credited_minor`,
    watch: ["amount_minor", "amount_paid_minor", "amount_credited_minor", "currency", "account_id"],
    prune: true,
    also: [
      `CREATE INDEX billing_open_by_account_usd ON billing_open_by_account (${OPEN_USD_SQL} DESC, account_id)`,
    ],
  });
}

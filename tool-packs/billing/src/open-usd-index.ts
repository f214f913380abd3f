import type { Migration } from "@toolpacks/pack-kit";
import { usdSql } from "./money.js";
import { OPEN_SQL } from "./open-sql.js";

/** The index of open invoices in the order of their open amount in USD, largest first. */
export const OPEN_USD_INDEX = "billing_invoices_open_usd";

/** SQL: an invoice's open amount in USD, the key of `OPEN_USD_INDEX` (orderings must use this text). */
export const OPEN_USD_AMOUNT_SQL = usdSql("(amount_minor - amount_paid_minor - amount_credited_minor)");

/**
 * overdue_invoices' largest-first page walks this index and stops after the page, instead of
 * sorting every overdue invoice; it covers every column the page reads, so it never touches the
 * table. Partial: only the open slice, like the due-date index beside it.
 */
export function openUsdIndexMigration(id: string): Migration {
  return {
    id,
    statements: [
      `CREATE INDEX ${OPEN_USD_INDEX} ON billing_invoices (${OPEN_USD_AMOUNT_SQL} DESC, id, due_on, currency,
        account_id, amount_minor, amount_paid_minor, amount_credited_minor) WHERE ${OPEN_SQL}`,
    ],
  };
}

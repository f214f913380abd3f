/**
 * An invoice still has money to collect. The partial indexes use exactly this text, and queries
 * and triggers must too: SQLite matches partial-index conditions textually, and it would rewrite
 * `paid + credited < amount` (column on the right) so that it no longer matches.
 */
export const OPEN_SQL = "amount_minor > amount_paid_minor + amount_credited_minor";

/** When an invoice trigger fires at all (SQL on NEW/OLD per event); none: always. */
export interface OpenOnly {
  insert: string;
  delete: string;
  update: string;
}

/**
 * Fire only when the row is (or was) open: a write of a settled invoice that stays settled
 * cannot change anything kept about open invoices, and most invoices a seed or an import writes
 * are settled.
 */
export const OPEN_ONLY: OpenOnly = {
  insert: "NEW.amount_minor > NEW.amount_paid_minor + NEW.amount_credited_minor",
  delete: "OLD.amount_minor > OLD.amount_paid_minor + OLD.amount_credited_minor",
  update:
    "OLD.amount_minor > OLD.amount_paid_minor + OLD.amount_credited_minor OR NEW.amount_minor > NEW.amount_paid_minor + NEW.amount_credited_minor",
};

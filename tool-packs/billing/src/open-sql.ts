/**
 * An invoice still has money to collect. The partial indexes use exactly this text, and queries
 * and triggers must too: SQLite matches partial-index conditions textually, and it would rewrite
 * `paid + credited < amount` (column on the right) so that it no longer matches.
 */
export const OPEN_SQL = "amount_minor > amount_paid_minor + amount_credited_minor";

import { addDays, type SqlFragments } from "@toolpacks/pack-kit";
import { OPEN_SQL } from "./migrations.js";

export { OPEN_SQL };

/** SQL: what is still to collect on an invoice, in its currency (never negative on open rows). */
export const OPEN_AMOUNT_SQL = "(amount_minor - amount_paid_minor - amount_credited_minor)";

/** SQL: whole days past due as of the bound date parameter (0 or less: not yet due). */
export const daysPastDueSql = (sql: SqlFragments): string => sql.daysBetween("?", "due_on");

/** Aging buckets in report order, with the days-past-due each one covers. */
export const AGING_BUCKETS = ["current", "1-30", "31-60", "61-90", "90+"] as const;

/** One aging bucket label. */
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/**
 * SQL: whole days past due of the group's oldest invoice as of the bound date parameter, computed
 * once per group from MIN(due_on) rather than once per row (date functions dominate otherwise).
 */
export const oldestDaysPastDueSql = (sql: SqlFragments): string => sql.daysBetween("?", "MIN(due_on)");

/**
 * SQL: the aging bucket of an open invoice, by comparing due_on with the bucket edges (ISO dates
 * compare as text), bound in the order `bucketEdges` returns them.
 */
export const BUCKET_SQL = `CASE
  WHEN due_on >= ? THEN 'current'
  WHEN due_on >= ? THEN '1-30'
  WHEN due_on >= ? THEN '31-60'
  WHEN due_on >= ? THEN '61-90'
  ELSE '90+' END`;

/** The parameters of `BUCKET_SQL` as of a day: due on or after as_of, as_of - 30, - 60, - 90. */
export function bucketEdges(asOf: string): string[] {
  return [asOf, addDays(asOf, -30), addDays(asOf, -60), addDays(asOf, -90)];
}

/** The aging bucket of a number of days past due (the same rule as `BUCKET_SQL`). */
export function agingBucket(daysPastDue: number): AgingBucket {
  if (daysPastDue <= 0) return "current";
  if (daysPastDue <= 30) return "1-30";
  if (daysPastDue <= 60) return "31-60";
  if (daysPastDue <= 90) return "61-90";
  return "90+";
}

/** The status an invoice has on a day: paid once payments and credits cover it, else overdue after due_on. */
export function invoiceStatus(
  row: { amount_minor: number; amount_paid_minor: number; amount_credited_minor: number; due_on: string },
  asOf: string,
): "paid" | "open" | "overdue" {
  if (row.amount_paid_minor + row.amount_credited_minor >= row.amount_minor) return "paid";
  return row.due_on < asOf ? "overdue" : "open";
}

import { type BillingInvoice, type Currency, dayOf, toReportingMinor, type World } from "@toolpacks/world";

/**
 * Independent answers computed straight from the world's rows (not from the store), which the
 * behaviour tests compare the tools against.
 */

/** Open amount of a world invoice as of the world's date. */
export const openOf = (i: BillingInvoice) => i.amount_minor - i.amount_paid_minor - i.amount_credited_minor;

/** Days past due of a world invoice as of the world's date. */
export const daysPastDue = (world: World, i: BillingInvoice) => dayOf(world.asOf) - dayOf(i.due_on);

/** Every world invoice with money still to collect. */
export function openInvoices(world: World): BillingInvoice[] {
  return [...world.billing.invoices()].filter((i) => openOf(i) > 0);
}

/** Sum per currency of `pick`, then each converted to USD and added (the packs' rule). */
export function usdTotal<T extends { currency: Currency }>(
  rows: readonly T[],
  pick: (row: T) => number,
): number {
  const per = new Map<Currency, number>();
  for (const row of rows) per.set(row.currency, (per.get(row.currency) ?? 0) + pick(row));
  let sum = 0;
  for (const [currency, minor] of per) sum += toReportingMinor(minor, currency);
  return sum;
}

/** Overdue facts per account from world rows: invoices at least `minDays` past due. */
export function overdueByAccount(world: World, minDays = 1) {
  const out = new Map<
    string,
    { overdue_minor: number; overdue_invoices: number; oldest_days_overdue: number; currency: Currency }
  >();
  for (const i of openInvoices(world)) {
    const days = daysPastDue(world, i);
    if (days < minDays) continue;
    const entry = out.get(i.account_id) ?? {
      overdue_minor: 0,
      overdue_invoices: 0,
      oldest_days_overdue: 0,
      currency: i.currency,
    };
    entry.overdue_minor += openOf(i);
    entry.overdue_invoices += 1;
    entry.oldest_days_overdue = Math.max(entry.oldest_days_overdue, days);
    out.set(i.account_id, entry);
  }
  return out;
}

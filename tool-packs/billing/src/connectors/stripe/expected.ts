import { addFixtureDays } from "@toolpacks/pack-kit/testing";
import type { StripeFixture, StripeSubscriptionTruth } from "./fixtures/generate.js";

/**
 * Answers computed straight from the Stripe fixture's exact values, never through the billing
 * pack: what its tools must say after importing the fixture's files.
 */

type Currency = "USD" | "EUR" | "GBP";

/** Invoices that are receivables (open, paid or uncollectible, with an amount). */
export function importedInvoices(f: StripeFixture) {
  return f.invoices.filter(
    (i) => i.total > 0 && (i.status === "open" || i.status === "paid" || i.status === "uncollectible"),
  );
}

/** Open amount per currency and aging bucket as of `asOf` (what is left on open and uncollectible invoices). */
export function expectedAging(f: StripeFixture, asOf: string) {
  const out = new Map<Currency, Record<string, number>>();
  let invoices = 0;
  const accounts = new Set<string>();
  for (const inv of importedInvoices(f)) {
    if (inv.status === "paid") continue;
    const open = inv.total - inv.paid;
    if (open <= 0) continue;
    invoices++;
    accounts.add(inv.customer);
    const days = Math.round((Date.parse(asOf) - Date.parse(inv.dueOn)) / 86_400_000);
    const bucket =
      days <= 0 ? "current" : days <= 30 ? "1-30" : days <= 60 ? "31-60" : days <= 90 ? "61-90" : "90+";
    const row = out.get(inv.currency) ?? { current: 0, "1-30": 0, "31-60": 0, "61-90": 0, "90+": 0 };
    row[bucket] = (row[bucket] ?? 0) + open;
    out.set(inv.currency, row);
  }
  return { byCurrency: out, invoices, accounts: accounts.size };
}

function monthlyOf(s: StripeSubscriptionTruth): number {
  const months = s.interval === "year" ? 12 : 1;
  return Math.round((s.unitAmount * s.quantity) / months);
}

/** MRR per currency on `day`: active (and past due, unpaid) subscriptions, and cancelled ones before they ended. */
export function expectedMrr(f: StripeFixture, day: string): Map<Currency, number> {
  const out = new Map<Currency, number>();
  for (const s of f.subscriptions) {
    const counts =
      s.startedOn <= day &&
      (["active", "past_due", "unpaid"].includes(s.status) ||
        (s.status === "canceled" && s.endedOn !== null && s.endedOn > s.startedOn && s.endedOn > day));
    if (counts) out.set(s.currency, (out.get(s.currency) ?? 0) + monthlyOf(s));
  }
  return out;
}

/** New MRR per currency from subscriptions that started in (from - 1 day, to]. */
export function expectedNewMrr(f: StripeFixture, from: string, to: string): Map<Currency, number> {
  const out = new Map<Currency, number>();
  const after = addFixtureDays(from, -1);
  for (const s of f.subscriptions) {
    const counted =
      ["active", "past_due", "unpaid"].includes(s.status) ||
      (s.status === "canceled" && s.endedOn !== null && s.endedOn > s.startedOn);
    if (counted && s.startedOn > after && s.startedOn <= to)
      out.set(s.currency, (out.get(s.currency) ?? 0) + monthlyOf(s));
  }
  return out;
}

/** Invoiced and collected per currency for invoices issued / payments made in months `from`..`to`. */
export function expectedRevenue(f: StripeFixture, from: string, to: string) {
  const inRange = (d: string) => d.slice(0, 7) >= from && d.slice(0, 7) <= to;
  const invoiced = new Map<Currency, number>();
  const collected = new Map<Currency, number>();
  const imported = new Set(importedInvoices(f).map((i) => i.id));
  for (const inv of importedInvoices(f)) {
    if (inRange(inv.issuedOn)) invoiced.set(inv.currency, (invoiced.get(inv.currency) ?? 0) + inv.total);
  }
  for (const p of f.payments) {
    if (p.status !== "Paid" || p.invoice === null || !imported.has(p.invoice)) continue;
    if (inRange(p.createdOn))
      collected.set(p.currency, (collected.get(p.currency) ?? 0) + p.amount - p.refunded);
  }
  return { invoiced, collected };
}

/** Payments the import must load: succeeded charges against an imported invoice. */
export function importedPayments(f: StripeFixture) {
  const imported = new Set(importedInvoices(f).map((i) => i.id));
  return f.payments.filter(
    (p) => p.status === "Paid" && p.invoice !== null && imported.has(p.invoice) && p.amount > p.refunded,
  );
}

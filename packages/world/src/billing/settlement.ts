import { isoDate } from "../calendar.js";
import type { Currency } from "../money.js";
import type { Rng } from "../random.js";
import type { Customer } from "../shared/types.js";
import type { InvoiceBundle, PaymentMethod } from "./types.js";

/** What is known about an invoice before it is settled. */
export interface InvoiceDraft {
  id: string;
  account: Customer;
  subscriptionId: string | null;
  salesOrderId: string | null;
  /** The order's lines for a sales-order invoice, empty for a subscription month. */
  lines: InvoiceBundle["lines"];
  issuedDay: number;
  amountMinor: number;
  currency: Currency;
}

const METHODS: readonly PaymentMethod[] = ["card", "bank_transfer", "direct_debit"];
const CREDIT_REASONS = ["damaged_goods", "pricing_error", "service_credit", "goodwill"] as const;

/** Days from issue to payment by payer profile, or null for an invoice that is never paid. */
function paymentDelay(r: Rng, account: Customer): number | null {
  const terms = account.payment_terms_days;
  if (account.payer === "prompt") return r.chance(0.01) ? null : Math.round(r.logNormal(terms * 0.7, 0.4));
  if (account.payer === "slow") return r.chance(0.05) ? null : Math.round(r.logNormal(terms + 25, 0.5));
  return r.chance(0.45) ? null : Math.round(r.logNormal(terms + 60, 0.6));
}

/**
 * Settles an invoice as of `asOfDay`: a few get a credit note, payments arrive after
 * a skewed delay per payer profile (some in two instalments), and whatever has not
 * arrived by `asOfDay` is open or overdue. That delay distribution is the overdue tail.
 */
export function settleInvoice(r: Rng, draft: InvoiceDraft, asOfDay: number): InvoiceBundle {
  const suffix = draft.id.slice(4);
  const { account, amountMinor, currency, issuedDay } = draft;
  const dueDay = issuedDay + account.payment_terms_days;
  const creditNotes: InvoiceBundle["creditNotes"] = [];
  if (r.chance(0.03)) {
    const creditDay = issuedDay + r.int(3, 30);
    if (creditDay <= asOfDay) {
      creditNotes.push({
        id: `CN-${suffix}`,
        invoice_id: draft.id,
        account_id: account.id,
        issued_on: isoDate(creditDay),
        amount_minor: Math.round(amountMinor * r.pick([0.1, 0.25, 0.5, 1])),
        currency,
        reason: r.pick(CREDIT_REASONS),
      });
    }
  }
  const credited = creditNotes.reduce((s, c) => s + c.amount_minor, 0);
  const payable = amountMinor - credited;
  const payments: InvoiceBundle["payments"] = [];
  const delay = paymentDelay(r, account);
  const method = r.pick(METHODS);
  if (payable > 0 && delay !== null) {
    const paidDay = issuedDay + Math.max(0, delay);
    const split = r.chance(0.08) ? Math.round(payable / 2) : 0;
    const firstDay = issuedDay + Math.floor(Math.max(0, delay) / 2);
    if (split > 0 && firstDay <= asOfDay) {
      payments.push({
        id: `PAY-${suffix}-1`,
        invoice_id: draft.id,
        account_id: account.id,
        paid_on: isoDate(firstDay),
        amount_minor: split,
        currency,
        method,
      });
    }
    if (paidDay <= asOfDay) {
      payments.push({
        id: `PAY-${suffix}-${payments.length + 1}`,
        invoice_id: draft.id,
        account_id: account.id,
        paid_on: isoDate(paidDay),
        amount_minor: payable - (payments.length > 0 ? split : 0),
        currency,
        method,
      });
    }
  }
  const paid = payments.reduce((s, p) => s + p.amount_minor, 0);
  const settled = paid + credited >= amountMinor;
  let settledOn: string | null = null;
  if (settled) {
    for (const day of [...payments.map((p) => p.paid_on), ...creditNotes.map((c) => c.issued_on)]) {
      if (settledOn === null || day > settledOn) settledOn = day;
    }
  }
  return {
    invoice: {
      id: draft.id,
      account_id: account.id,
      subscription_id: draft.subscriptionId,
      sales_order_id: draft.salesOrderId,
      issued_on: isoDate(issuedDay),
      due_on: isoDate(dueDay),
      amount_minor: amountMinor,
      amount_paid_minor: paid,
      amount_credited_minor: credited,
      currency,
      status: settled ? "paid" : dueDay < asOfDay ? "overdue" : "open",
      settled_on: settledOn,
    },
    lines: draft.lines,
    payments,
    creditNotes,
  };
}

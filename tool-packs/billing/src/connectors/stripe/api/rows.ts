import { CellError, type DomainRow, type RejectedRow } from "@toolpacks/pack-kit";
import { UNKNOWN_COUNTRY } from "../index.js";
import { billingCurrency } from "../read.js";
import { invoiceStatus, subscriptionStatus } from "../statuses.js";
import type { ApiCustomer, ApiInvoice, ApiInvoicePayment, ApiSubscription } from "./shapes.js";

/*
 * Stripe API objects -> billing rows, the same meaning as the Dashboard-export connector:
 * customers are accounts, a subscription's price is a plan, open and paid invoices are invoices,
 * paid invoice payments are payments. A record that cannot be read is a rejection naming the
 * object and field, never a thrown error.
 */

/** What mapping one object gave: its rows, or why it was rejected. */
export interface Mapped {
  rows: DomainRow[];
  rejected: RejectedRow[];
}

const day = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);
const idOf = (ref: string | { id: string }) => (typeof ref === "string" ? ref : ref.id);
const origin = (object: string, id: string) => ({ file: `stripe ${object} ${id}`, line: 0 });

function mapped(object: string, id: string, build: () => DomainRow[]): Mapped {
  try {
    return { rows: build(), rejected: [] };
  } catch (error) {
    if (!(error instanceof CellError)) throw error;
    const field = (error as CellError & { field?: string }).field;
    return {
      rows: [],
      rejected: [{ ...origin(object, id), ...(field ? { column: field } : {}), reason: error.message }],
    };
  }
}

/** A placeholder account for a customer only referred to (replaced when the customer syncs). */
function stubAccount(customer: string, currency: string, from: { object: string; id: string }): DomainRow {
  return {
    table: "billing_accounts",
    sourceId: customer,
    origin: origin(from.object, from.id),
    stub: true,
    values: { id: customer, name: customer, country: UNKNOWN_COUNTRY, currency, payment_terms_days: 0 },
  };
}

/**
 * A customer -> an account. Stripe keeps no payment terms on a customer: an account inserted by
 * the sync gets 0 days (due on receipt) and a later sync never overwrites terms set in the pack.
 */
export function customerRows(c: ApiCustomer): Mapped {
  return mapped("customer", c.id, () => [
    {
      table: "billing_accounts",
      sourceId: c.id,
      origin: origin("customer", c.id),
      derived: ["payment_terms_days"],
      values: {
        id: c.id,
        name: c.name?.trim() || c.email || c.id,
        country: c.address?.country?.toUpperCase() || UNKNOWN_COUNTRY,
        currency: c.currency ? billingCurrency(c.currency) : "USD",
        payment_terms_days: 0,
        email: c.email || null,
        tax_id: null,
      },
    },
  ]);
}

function monthsOf(interval: string, count: number): number {
  if (interval === "month") return count;
  if (interval === "year") return 12 * count;
  throw new CellError(
    "invalid_interval",
    `interval ${JSON.stringify(interval)} cannot be turned into MRR; the billing pack reads month and year (weekly and daily prices are not synced).`,
  );
}

/** A subscription -> its plan (first item's price) and the subscription with its monthly amount. */
export function subscriptionRows(s: ApiSubscription): Mapped {
  return mapped("subscription", s.id, () => {
    const item = s.items.data[0];
    if (!item) throw new CellError("no_items", "the subscription has no items, so no price to bill.");
    const price = item.price;
    if (!price.recurring) throw new CellError("not_recurring", `price ${price.id} is not recurring.`);
    const months = monthsOf(price.recurring.interval, price.recurring.interval_count);
    const currency = billingCurrency(s.currency);
    const unit = price.unit_amount ?? 0;
    const quantity = item.quantity ?? 1;
    const status = subscriptionStatus.map(s.status, "stripe");
    if (status === "incomplete") return [];
    const customer = idOf(s.customer);
    const ended = s.ended_at ?? s.canceled_at;
    return [
      stubAccount(customer, currency, { object: "subscription", id: s.id }),
      {
        table: "billing_plans",
        sourceId: price.id,
        origin: origin("price", price.id),
        values: {
          id: price.id,
          name: price.nickname || (typeof price.product === "string" ? price.product : price.product.id),
          interval: months === 12 ? "year" : months === 1 ? "month" : `${months} months`,
          price_minor: unit,
          currency,
        },
      },
      {
        table: "billing_subscriptions",
        sourceId: s.id,
        origin: origin("subscription", s.id),
        values: {
          id: s.id,
          account_id: customer,
          plan_id: price.id,
          status,
          seats: quantity,
          price_minor: Math.round((unit * quantity) / months),
          currency,
          started_on: day(s.start_date),
          cancelled_on: status === "cancelled" && ended ? day(ended) : null,
        },
      },
    ];
  });
}

/**
 * An invoice -> an invoice row. Drafts are not receivables and are left out; a voided invoice is
 * fully credited (nothing is owed, and an earlier synced open version stops counting in AR);
 * credit notes count as credited, and a paid invoice's amount not covered by payments too.
 */
export function invoiceRows(inv: ApiInvoice): Mapped {
  return mapped("invoice", inv.id, () => {
    const raw = inv.status ?? "draft";
    const status = invoiceStatus.map(raw, "stripe");
    if (status === "draft" || inv.amount_due <= 0) return [];
    if (!inv.customer) throw new CellError("no_customer", "the invoice names no customer.");
    const currency = billingCurrency(inv.currency);
    const customer = idOf(inv.customer);
    const amount = inv.amount_due;
    const paid = Math.min(inv.amount_paid, amount);
    const notes = inv.pre_payment_credit_notes_amount + inv.post_payment_credit_notes_amount;
    const credited = status === "void" || status === "paid" ? amount - paid : Math.min(notes, amount - paid);
    const settledAt = inv.status_transitions.paid_at ?? inv.status_transitions.voided_at;
    const issued = inv.status_transitions.finalized_at ?? inv.created;
    const subscription = inv.parent?.subscription_details?.subscription;
    return [
      stubAccount(customer, currency, { object: "invoice", id: inv.id }),
      {
        table: "billing_invoices",
        sourceId: inv.id,
        origin: origin("invoice", inv.id),
        values: {
          id: inv.id,
          account_id: customer,
          subscription_id: subscription ? idOf(subscription) : null,
          sales_order_id: null,
          issued_on: day(issued),
          due_on: day(inv.due_date ?? issued),
          amount_minor: amount,
          amount_paid_minor: paid,
          amount_credited_minor: credited,
          currency,
          settled_on: paid + credited >= amount ? day(settledAt ?? issued) : null,
        },
      },
    ];
  });
}

/** A paid invoice payment -> a payment (its invoice expanded, for the account). Others: nothing. */
export function invoicePaymentRows(p: ApiInvoicePayment): Mapped {
  return mapped("invoice_payment", p.id, () => {
    if (p.status !== "paid" || !p.amount_paid) return [];
    if (typeof p.invoice === "string") {
      throw new CellError(
        "invoice_not_expanded",
        `invoice ${p.invoice} was not expanded; cannot tell the customer.`,
      );
    }
    const invoice = p.invoice;
    if (!invoice.customer) throw new CellError("no_customer", `invoice ${invoice.id} names no customer.`);
    return [
      {
        table: "billing_payments",
        sourceId: p.id,
        origin: origin("invoice_payment", p.id),
        values: {
          id: p.id,
          invoice_id: invoice.id,
          account_id: idOf(invoice.customer),
          paid_on: day(p.status_transitions.paid_at ?? p.created),
          amount_minor: p.amount_paid,
          currency: billingCurrency(p.currency),
          // Stripe's own payments (charges, payment intents) are cards or wallets here; a
          // payment recorded from outside Stripe (payment_record) is a transfer.
          method: p.payment.type === "payment_record" ? "bank_transfer" : "card",
        },
      },
    ];
  });
}

import type { BillingInvoice, BillingSubscription, InvoiceBundle, SalesOrderBundle } from "@toolpacks/world";
import { orderInvoiceId } from "../ids.js";

/** An invoice row as stored: the world's invoice without its derived status, plus `settled_on`. */
export type StoredInvoice = Omit<BillingInvoice, "status"> & { settled_on: string | null };

/** One MRR movement of a subscription. */
export interface MrrEvent {
  subscription_id: string;
  effective_on: string;
  account_id: string;
  kind: "new" | "expansion" | "contraction" | "churn";
  /** Change of MRR (negative for contraction and churn). */
  delta_minor: number;
  /** MRR from this day on. */
  mrr_minor: number;
  currency: string;
}

/** An invoice line as stored. */
export interface StoredInvoiceLine {
  invoice_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  unit_price_minor: number;
  amount_minor: number;
}

/**
 * The stored invoice of a bundle. Status is not stored: it depends on the day you ask, so tools
 * derive it from amounts and `due_on`. `settled_on` is the day payments plus credit notes first
 * covered the amount (the latest of them), which payment-behaviour answers measure against `due_on`.
 */
export function storedInvoice({ invoice, payments, creditNotes }: InvoiceBundle): StoredInvoice {
  const { status: _status, ...row } = invoice;
  let settledOn: string | null = null;
  if (invoice.amount_paid_minor + invoice.amount_credited_minor >= invoice.amount_minor) {
    for (const day of [...payments.map((p) => p.paid_on), ...creditNotes.map((c) => c.issued_on)]) {
      if (settledOn === null || day > settledOn) settledOn = day;
    }
  }
  return { ...row, settled_on: settledOn };
}

/**
 * The MRR movements of a subscription. The world keeps one price per subscription, so its
 * history is `new` at the start and, when cancelled, `churn`; seat or price changes would be
 * `expansion` / `contraction` events.
 */
export function mrrEvents(sub: BillingSubscription): MrrEvent[] {
  const base = { subscription_id: sub.id, account_id: sub.account_id, currency: sub.currency };
  const events: MrrEvent[] = [
    {
      ...base,
      effective_on: sub.started_on,
      kind: "new",
      delta_minor: sub.price_minor,
      mrr_minor: sub.price_minor,
    },
  ];
  if (sub.cancelled_on !== null) {
    events.push({
      ...base,
      effective_on: sub.cancelled_on,
      kind: "churn",
      delta_minor: -sub.price_minor,
      mrr_minor: 0,
    });
  }
  return events;
}

/**
 * Invoice lines of a shipped order. The world's billing rows carry no lines, so they are derived
 * from the ERP order's lines (which the world copies from the deal): the invoice amount equals
 * their sum.
 */
export function orderInvoiceLines({ order, lines }: SalesOrderBundle): StoredInvoiceLine[] {
  return lines.map((l) => ({
    invoice_id: orderInvoiceId(order.id),
    line_no: l.line_no,
    sku: l.sku,
    quantity: l.quantity,
    unit_price_minor: l.unit_price_minor,
    amount_minor: l.amount_minor,
  }));
}

import type { Connector, DomainRow, ImportMapping, PullBatch, SourceFile } from "@toolpacks/pack-kit";
import { appendAll, RecordReader } from "@toolpacks/pack-kit";
import { recogniseStripeExport } from "./columns.js";
import {
  type CustomerRecord,
  type InvoiceRecord,
  type PaymentRecord,
  readCustomers,
  readInvoices,
  readPayments,
  readSubscriptions,
  type SubscriptionRecord,
} from "./records.js";

/** Country of an account whose export names none (ISO 3166's user-assigned "unknown"). */
export const UNKNOWN_COUNTRY = "ZZ";

/**
 * Stripe Dashboard exports -> billing tables. Reads any of the four exports (Customers, Invoices,
 * Subscriptions, Payments; CSV with all columns), recognised by their columns, in one import:
 * customers become accounts (payment terms = their invoices' usual days to due date), prices
 * become plans, subscriptions keep their monthly amount (MRR movements are derived from them
 * after the import), open and paid invoices become invoices, succeeded charges against an
 * invoice become payments (net of refunds). An invoice or subscription of a customer missing
 * from the customers export gets a placeholder account (name from the invoice), replaced when
 * the customers export is imported.
 */
export const stripeConnector: Connector = {
  name: "stripe",
  system: "stripe",
  description: "Stripe Dashboard CSV exports: customers, invoices, subscriptions, payments",
  pull({ files, mapping }) {
    return [pullStripe(files, mapping)];
  },
};

function pullStripe(files: readonly SourceFile[], mapping: ImportMapping | undefined): PullBatch {
  const reader = new RecordReader();
  const customers: CustomerRecord[] = [];
  const invoices: InvoiceRecord[] = [];
  const subscriptions: SubscriptionRecord[] = [];
  const payments: PaymentRecord[] = [];
  for (const file of files) {
    const x = recogniseStripeExport(file);
    if (x.kind === "customers") appendAll(customers, readCustomers(x, reader));
    if (x.kind === "invoices") appendAll(invoices, readInvoices(x, reader, mapping));
    if (x.kind === "subscriptions") appendAll(subscriptions, readSubscriptions(x, reader, mapping));
    if (x.kind === "payments") appendAll(payments, readPayments(x, reader, mapping));
  }
  const rows: DomainRow[] = [
    ...accountRows(customers, invoices, subscriptions),
    ...planRows(subscriptions),
    ...subscriptions.map(subscriptionRow),
    ...invoices.map(invoiceRow),
    ...paymentRows(payments, invoices, reader),
  ];
  return { rows, rejected: reader.rejected };
}

/** The most frequent days from issue to due date among `invoices` (0 when none). */
function usualTerms(invoices: readonly InvoiceRecord[]): number {
  const counts = new Map<number, number>();
  for (const inv of invoices) {
    const days = Math.round((Date.parse(inv.dueOn) - Date.parse(inv.issuedOn)) / 86_400_000);
    counts.set(days, (counts.get(days) ?? 0) + 1);
  }
  let best = 0;
  let seen = 0;
  for (const [days, n] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (n > seen) [best, seen] = [days, n];
  }
  return best;
}

function accountRows(
  customers: readonly CustomerRecord[],
  invoices: readonly InvoiceRecord[],
  subscriptions: readonly SubscriptionRecord[],
): DomainRow[] {
  const invoicesOf = new Map<string, InvoiceRecord[]>();
  for (const inv of invoices) invoicesOf.set(inv.customer, [...(invoicesOf.get(inv.customer) ?? []), inv]);
  const rows: DomainRow[] = customers.map((c) => {
    const own = invoicesOf.get(c.id) ?? [];
    return {
      table: "billing_accounts",
      sourceId: c.id,
      origin: c.origin,
      values: {
        id: c.id,
        name: c.name,
        country: c.country || UNKNOWN_COUNTRY,
        // A customer never billed has no currency yet: its first invoice's, else USD.
        currency: c.currency ?? own[0]?.currency ?? "USD",
        payment_terms_days: usualTerms(own),
        email: c.email || null,
        tax_id: c.taxId || null,
      },
      columns: { id: "id", name: "Name", currency: "Currency" },
    };
  });
  // Placeholders for customers only named on an invoice or subscription.
  const known = new Set(customers.map((c) => c.id));
  const stubs = new Map<string, DomainRow>();
  for (const ref of [...invoices, ...subscriptions]) {
    if (known.has(ref.customer) || stubs.has(ref.customer)) continue;
    stubs.set(ref.customer, {
      table: "billing_accounts",
      sourceId: ref.customer,
      origin: ref.origin,
      stub: true,
      values: {
        id: ref.customer,
        name: ref.customer,
        country: UNKNOWN_COUNTRY,
        currency: ref.currency,
        payment_terms_days: usualTerms(invoicesOf.get(ref.customer) ?? []),
      },
    });
  }
  return [...rows, ...stubs.values()];
}

/** One plan per price id (the first subscription naming it gives its amount and product). */
function planRows(subscriptions: readonly SubscriptionRecord[]): DomainRow[] {
  const plans = new Map<string, DomainRow>();
  for (const s of subscriptions) {
    if (plans.has(s.plan)) continue;
    plans.set(s.plan, {
      table: "billing_plans",
      sourceId: s.plan,
      origin: s.origin,
      values: {
        id: s.plan,
        name: s.product || s.plan,
        interval: s.interval,
        price_minor: s.unitAmount,
        currency: s.currency,
      },
      columns: { id: s.columns.plan_id ?? "Plan" },
    });
  }
  return [...plans.values()];
}

function subscriptionRow(s: SubscriptionRecord): DomainRow {
  return {
    table: "billing_subscriptions",
    sourceId: s.id,
    origin: s.origin,
    columns: s.columns,
    values: {
      id: s.id,
      account_id: s.customer,
      plan_id: s.plan,
      status: s.status,
      seats: s.quantity,
      price_minor: s.monthly,
      currency: s.currency,
      started_on: s.startedOn,
      cancelled_on: s.cancelledOn,
    },
  };
}

function invoiceRow(inv: InvoiceRecord): DomainRow {
  // Stripe marks an invoice paid when it was settled another way too (credit balance, paid out
  // of band): what Amount Paid does not cover is recorded as credited, so it is not open.
  const credited = inv.status === "paid" ? inv.amount - inv.paid : 0;
  const settled = inv.paid + credited >= inv.amount;
  return {
    table: "billing_invoices",
    sourceId: inv.id,
    origin: inv.origin,
    columns: inv.columns,
    values: {
      id: inv.id,
      account_id: inv.customer,
      subscription_id: inv.subscription,
      sales_order_id: null,
      issued_on: inv.issuedOn,
      due_on: inv.dueOn,
      amount_minor: inv.amount,
      amount_paid_minor: inv.paid,
      amount_credited_minor: credited,
      currency: inv.currency,
      settled_on: settled ? (inv.paidOn ?? inv.issuedOn) : null,
    },
  };
}

/**
 * Payments, refusing those that would take an invoice of this import above its amount (the
 * store's trigger would otherwise abort the whole import).
 */
function paymentRows(
  payments: readonly PaymentRecord[],
  invoices: readonly InvoiceRecord[],
  reader: RecordReader,
): DomainRow[] {
  const amountOf = new Map(invoices.map((i) => [i.id, i.amount]));
  const taken = new Map<string, number>();
  const rows: DomainRow[] = [];
  for (const p of [...payments].sort(
    (a, b) => a.paidOn.localeCompare(b.paidOn) || a.id.localeCompare(b.id),
  )) {
    const amount = amountOf.get(p.invoice);
    const sum = (taken.get(p.invoice) ?? 0) + p.amount;
    if (amount !== undefined && sum > amount) {
      reader.rejected.push({
        ...p.origin,
        column: p.columns.amount_minor,
        reason: `payments of invoice ${p.invoice} would reach ${sum} minor units, above its amount due ${amount}; the export holds a charge twice or the invoice is not the one paid.`,
      });
      continue;
    }
    taken.set(p.invoice, sum);
    rows.push({
      table: "billing_payments",
      sourceId: p.id,
      origin: p.origin,
      columns: p.columns,
      values: {
        id: p.id,
        invoice_id: p.invoice,
        account_id: p.customer,
        paid_on: p.paidOn,
        amount_minor: p.amount,
        currency: p.currency,
        method: p.method,
      },
    });
  }
  return rows;
}

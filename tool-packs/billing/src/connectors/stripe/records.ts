import { CellError, type ImportMapping, type RecordReader, type RowOrigin } from "@toolpacks/pack-kit";
import type { StripeExport } from "./columns.js";
import { billingCurrency, cell, day, minorUnits, overridesFor } from "./read.js";
import { invoiceStatus, paymentMethod, paymentStatus, subscriptionStatus } from "./statuses.js";

/**
 * Stripe export records read into typed values, one kind per function. A record with a bad cell
 * becomes a rejection (file, line, column, reason) in `reader`; records that are no receivable,
 * subscription or payment by design (drafts, voids, zero amounts, failed charges) are left out.
 */

type Currency = ReturnType<typeof billingCurrency>;

/** A Stripe customer. */
export interface CustomerRecord {
  id: string;
  name: string;
  email: string;
  country: string;
  currency: Currency | undefined;
  taxId: string;
  origin: RowOrigin;
}

/** An invoice to import (open or paid). */
export interface InvoiceRecord {
  id: string;
  customer: string;
  customerName: string;
  subscription: string | null;
  status: "open" | "paid";
  currency: Currency;
  amount: number;
  paid: number;
  issuedOn: string;
  dueOn: string;
  paidOn: string | null;
  origin: RowOrigin;
  columns: Record<string, string>;
}

/** A subscription to import. */
export interface SubscriptionRecord {
  id: string;
  customer: string;
  plan: string;
  product: string;
  interval: string;
  unitAmount: number;
  quantity: number;
  /** Monthly total (unit amount x quantity per month), minor units. */
  monthly: number;
  currency: Currency;
  status: "active" | "trialing" | "paused" | "cancelled";
  startedOn: string;
  cancelledOn: string | null;
  origin: RowOrigin;
  columns: Record<string, string>;
}

/** A collected payment against an invoice. */
export interface PaymentRecord {
  id: string;
  invoice: string;
  customer: string;
  paidOn: string;
  amount: number;
  currency: Currency;
  method: "card" | "bank_transfer" | "direct_debit";
  origin: RowOrigin;
  columns: Record<string, string>;
}

type Of<K extends StripeExport["kind"]> = Extract<StripeExport, { kind: K }>;

function origin(file: string, line: number): RowOrigin {
  return { file, line };
}

function required(text: string, what: string): string {
  if (text === "") throw new CellError("blank", `${what} is blank.`);
  return text;
}

/** Customers of a customers export. */
export function readCustomers(x: Of<"customers">, reader: RecordReader): CustomerRecord[] {
  const out: CustomerRecord[] = [];
  for (const record of x.table.records) {
    const read = reader.read(x.table.file, record.line, (at) => {
      const id = at(x.at.id, () => required(cell(record, x.at.id), "the customer id"));
      const currencyText = cell(record, x.at.currency);
      return {
        id,
        // A customer without a name shows its description, then its email, as the Dashboard does.
        name: cell(record, x.at.name) || cell(record, x.at.description) || cell(record, x.at.email) || id,
        email: cell(record, x.at.email).toLowerCase(),
        country: cell(record, x.at.country).toUpperCase(),
        currency: currencyText === "" ? undefined : at(x.at.currency, () => billingCurrency(currencyText)),
        taxId: cell(record, x.at.taxId).replaceAll(/\s/g, "").toUpperCase(),
        origin: origin(x.table.file, record.line),
      };
    });
    if (read) out.push(read);
  }
  return out;
}

/** Open and paid invoices of an invoices export (drafts, voids and zero amounts left out). */
export function readInvoices(
  x: Of<"invoices">,
  reader: RecordReader,
  mapping: ImportMapping | undefined,
): InvoiceRecord[] {
  const overrides = overridesFor(mapping, invoiceStatus);
  const out: InvoiceRecord[] = [];
  for (const record of x.table.records) {
    const read = reader.read(x.table.file, record.line, (at) => {
      const id = at(x.at.id, () => required(cell(record, x.at.id), "the invoice id"));
      const status = at(x.at.status, () => invoiceStatus.map(cell(record, x.at.status), "stripe", overrides));
      if (status === "draft" || status === "void") return undefined;
      const currency = at(x.at.currency, () => billingCurrency(cell(record, x.at.currency)));
      const amount = at(x.at.total, () => minorUnits(cell(record, x.at.total), currency));
      if (amount === 0) return undefined; // $0 invoices (trials, fully discounted) owe nothing
      if (amount < 0)
        at(x.at.total, () => {
          throw new CellError(
            "negative_amount",
            "the amount due is negative; credit notes are not imported.",
          );
        });
      const paid = at(x.at.paid, () => minorUnits(cell(record, x.at.paid) || "0", currency));
      if (paid < 0 || paid > amount) {
        at(x.at.paid, () => {
          throw new CellError(
            "paid_above_due",
            `Amount Paid ${paid} is outside 0..${amount} (the amount due) in minor units.`,
          );
        });
      }
      const issuedOn = at(x.at.date, () => day(required(cell(record, x.at.date), "the invoice date")));
      const dueText = cell(record, x.at.due);
      // Invoices charged automatically have no due date: they are due when issued.
      const dueOn = dueText === "" ? issuedOn : at(x.at.due, () => day(dueText));
      const paidAt = cell(record, x.at.paidAt);
      return {
        id,
        customer: at(x.at.customer, () => required(cell(record, x.at.customer), "the customer")),
        customerName: "",
        subscription: cell(record, x.at.subscription) || null,
        status,
        currency,
        amount,
        paid,
        issuedOn,
        // A due date before the invoice date (a re-dated invoice) counts from the invoice date.
        dueOn: [dueOn, issuedOn].sort()[1] as string,
        paidOn: paidAt === "" ? null : at(x.at.paidAt, () => day(paidAt)),
        origin: origin(x.table.file, record.line),
        columns: {
          id: x.at.id ?? "id",
          account_id: x.at.customer ?? "Customer",
          issued_on: x.at.date ?? "Date (UTC)",
          amount_minor: x.at.total ?? "Amount Due",
          currency: x.at.currency ?? "Currency",
        },
      } satisfies InvoiceRecord;
    });
    if (read) out.push(read);
  }
  return out;
}

/** Subscriptions of a subscriptions export (incomplete ones left out). */
export function readSubscriptions(
  x: Of<"subscriptions">,
  reader: RecordReader,
  mapping: ImportMapping | undefined,
): SubscriptionRecord[] {
  const overrides = overridesFor(mapping, subscriptionStatus);
  const out: SubscriptionRecord[] = [];
  for (const record of x.table.records) {
    const read = reader.read(x.table.file, record.line, (at) => {
      const id = at(x.at.id, () => required(cell(record, x.at.id), "the subscription id"));
      const status = at(x.at.status, () =>
        subscriptionStatus.map(cell(record, x.at.status), "stripe", overrides),
      );
      if (status === "incomplete") return undefined;
      const currency = at(x.at.currency, () => billingCurrency(cell(record, x.at.currency)));
      const unitAmount = at(x.at.amount, () => minorUnits(cell(record, x.at.amount), currency));
      const quantityText = cell(record, x.at.quantity) || "1";
      const quantity = at(x.at.quantity, () => {
        if (!/^\d+$/.test(quantityText.replaceAll(",", "")))
          throw new CellError(
            "invalid_quantity",
            `quantity ${JSON.stringify(quantityText)} is not a whole number.`,
          );
        return Number(quantityText.replaceAll(",", ""));
      });
      const interval = cell(record, x.at.interval).toLowerCase();
      const countText = cell(record, x.at.intervalCount) || "1";
      const months = at(x.at.interval, () => monthsPer(interval, countText));
      const startedOn = at(x.at.start, () => day(required(cell(record, x.at.start), "the start date")));
      const endedText = cell(record, x.at.endedAt) || cell(record, x.at.canceledAt);
      const endedColumn = cell(record, x.at.endedAt) ? x.at.endedAt : x.at.canceledAt;
      const cancelledOn =
        status === "cancelled" && endedText !== "" ? at(endedColumn, () => day(endedText)) : null;
      if (status === "cancelled" && cancelledOn === null) {
        at(x.at.endedAt ?? x.at.status, () => {
          throw new CellError("blank", "a canceled subscription needs its Ended At (or Canceled At) date.");
        });
      }
      return {
        id,
        customer: at(x.at.customer, () => required(cell(record, x.at.customer), "the customer")),
        plan: at(x.at.plan, () => required(cell(record, x.at.plan), "the plan (price) id")),
        product: cell(record, x.at.product),
        interval: months === 12 ? "year" : months === 1 ? "month" : `${months} months`,
        unitAmount,
        quantity,
        // MRR: the amount per month, rounded to the minor unit (a yearly 790.00 is 65.83 a month).
        monthly: Math.round((unitAmount * quantity) / months),
        currency,
        status,
        startedOn,
        cancelledOn,
        origin: origin(x.table.file, record.line),
        columns: {
          id: x.at.id ?? "id",
          account_id: x.at.customer ?? "Customer ID",
          plan_id: x.at.plan ?? "Plan",
          started_on: x.at.start ?? "Start (UTC)",
        },
      } satisfies SubscriptionRecord;
    });
    if (read) out.push(read);
  }
  return out;
}

function monthsPer(interval: string, countText: string): number {
  const count = Number(countText);
  if (!Number.isInteger(count) || count < 1)
    throw new CellError(
      "invalid_interval",
      `interval count ${JSON.stringify(countText)} is not a whole number of at least 1.`,
    );
  if (interval === "month" || interval === "monthly") return count;
  if (interval === "year" || interval === "yearly" || interval === "annual") return 12 * count;
  throw new CellError(
    "invalid_interval",
    `interval ${JSON.stringify(interval)} cannot be turned into MRR; the billing pack reads month and year (weekly and daily plans are not imported).`,
  );
}

/** Collected payments against invoices (failed, pending, refunded and invoice-less charges left out). */
export function readPayments(
  x: Of<"payments">,
  reader: RecordReader,
  mapping: ImportMapping | undefined,
): PaymentRecord[] {
  const overrides = overridesFor(mapping, paymentStatus);
  const out: PaymentRecord[] = [];
  for (const record of x.table.records) {
    const read = reader.read(x.table.file, record.line, (at) => {
      const id = at(x.at.id, () => required(cell(record, x.at.id), "the payment id"));
      const status = at(x.at.status, () => paymentStatus.map(cell(record, x.at.status), "stripe", overrides));
      const invoice = cell(record, x.at.invoice);
      if (status !== "succeeded" || invoice === "") return undefined;
      const currency = at(x.at.currency, () => billingCurrency(cell(record, x.at.currency)));
      const amount = at(x.at.amount, () => minorUnits(cell(record, x.at.amount), currency));
      const refunded = at(x.at.refunded, () => minorUnits(cell(record, x.at.refunded) || "0", currency));
      if (amount - refunded <= 0) return undefined;
      return {
        id,
        invoice,
        customer: at(x.at.customer, () => required(cell(record, x.at.customer), "the customer")),
        paidOn: at(x.at.created, () => day(required(cell(record, x.at.created), "the payment date"))),
        amount: amount - refunded,
        currency,
        method: paymentMethod(cell(record, x.at.method), cell(record, x.at.card) !== ""),
        origin: origin(x.table.file, record.line),
        columns: {
          id: x.at.id ?? "id",
          invoice_id: x.at.invoice ?? "Invoice ID",
          amount_minor: x.at.amount ?? "Amount",
          paid_on: x.at.created ?? "Created (UTC)",
        },
      } satisfies PaymentRecord;
    });
    if (read) out.push(read);
  }
  return out;
}

import type { Currency } from "../money.js";

/** A billing account (same `id` as the CRM account and ERP customer). */
export interface BillingAccount {
  id: string;
  name: string;
  country: string;
  currency: Currency;
  payment_terms_days: number;
}

/** A price plan; the price is per seat per month in USD minor units. */
export interface BillingPlan {
  id: string;
  name: string;
  interval: "month";
  price_minor: number;
  currency: Currency;
}

/** `cancelled` subscriptions keep their history of invoices. */
export type SubscriptionStatus = "active" | "cancelled";

/** An account's subscription; `price_minor` is the monthly total in the account's currency. */
export interface BillingSubscription {
  id: string;
  account_id: string;
  plan_id: string;
  status: SubscriptionStatus;
  seats: number;
  price_minor: number;
  currency: Currency;
  started_on: string;
  cancelled_on: string | null;
}

/**
 * Invoice state as of the world's date: `paid` once payments plus credits cover
 * it, else `overdue` after `due_on`, else `open`.
 */
export type InvoiceStatus = "paid" | "open" | "overdue";

/** An invoice for a subscription month or a shipped sales order (exactly one of the two ids is set). */
export interface BillingInvoice {
  id: string;
  account_id: string;
  subscription_id: string | null;
  sales_order_id: string | null;
  issued_on: string;
  due_on: string;
  amount_minor: number;
  /** Sum of this invoice's payments up to `asOf`. */
  amount_paid_minor: number;
  /** Sum of this invoice's credit notes up to `asOf`. */
  amount_credited_minor: number;
  currency: Currency;
  status: InvoiceStatus;
  /** The day payments plus credit notes first covered the amount (the latest of them), else null. */
  settled_on: string | null;
}

/** One line of a sales-order invoice: the ERP order line as invoiced (subscription invoices have none). */
export interface BillingInvoiceLine {
  invoice_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  unit_price_minor: number;
  amount_minor: number;
}

/** Kinds of MRR movement; the world keeps one price per subscription, so only `new` and `churn` occur. */
export type MrrEventKind = "new" | "expansion" | "contraction" | "churn";

/** One change of a subscription's monthly recurring revenue, effective from `effective_on`. */
export interface BillingMrrEvent {
  subscription_id: string;
  effective_on: string;
  account_id: string;
  kind: MrrEventKind;
  /** Change of MRR in the subscription's currency (negative for contraction and churn). */
  delta_minor: number;
  /** MRR from this day on. */
  mrr_minor: number;
  currency: Currency;
}

/** Payment methods. */
export type PaymentMethod = "card" | "bank_transfer" | "direct_debit";

/** A payment against one invoice. */
export interface BillingPayment {
  id: string;
  invoice_id: string;
  account_id: string;
  paid_on: string;
  amount_minor: number;
  currency: Currency;
  method: PaymentMethod;
}

/** A credit note reducing one invoice's balance. */
export interface BillingCreditNote {
  id: string;
  invoice_id: string;
  account_id: string;
  issued_on: string;
  amount_minor: number;
  currency: Currency;
  reason: string;
}

/** An invoice with its lines and the payments and credit notes issued against it up to `asOf`. */
export interface InvoiceBundle {
  invoice: BillingInvoice;
  /** The order's lines for a sales-order invoice (they sum to `amount_minor`); empty for subscriptions. */
  lines: BillingInvoiceLine[];
  payments: BillingPayment[];
  creditNotes: BillingCreditNote[];
}

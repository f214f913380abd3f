import type Stripe from "stripe";

/*
 * The fields of Stripe's API objects the billing sync reads, as `Pick`s of the official
 * `stripe` package's own types: the connector can read nothing else, and the test fake serves
 * exactly these shapes, so both are checked against Stripe's declarations by the compiler.
 */

/** A Stripe customer, as the sync reads it. */
export type ApiCustomer = Pick<
  Stripe.Customer,
  "id" | "object" | "name" | "email" | "currency" | "address" | "created"
>;

/** A subscription item's price, as the sync reads it. */
export type ApiPrice = Pick<
  Stripe.Price,
  "id" | "object" | "currency" | "unit_amount" | "nickname" | "product"
> & {
  recurring: Pick<Stripe.Price.Recurring, "interval" | "interval_count"> | null;
};

/** A subscription item, as the sync reads it. */
export type ApiSubscriptionItem = Pick<Stripe.SubscriptionItem, "id" | "object" | "quantity"> & {
  price: ApiPrice;
};

/** A list envelope (`object: "list"`, `has_more`, `url`) of `T`. */
export type ApiList<T> = Omit<Stripe.ApiList<T>, "data"> & { data: T[] };

/** A Stripe subscription, as the sync reads it. */
export type ApiSubscription = Pick<
  Stripe.Subscription,
  "id" | "object" | "customer" | "status" | "start_date" | "canceled_at" | "ended_at" | "currency" | "created"
> & { items: ApiList<ApiSubscriptionItem> };

/** A Stripe invoice, as the sync reads it. */
export type ApiInvoice = Pick<
  Stripe.Invoice,
  | "id"
  | "object"
  | "customer"
  | "status"
  | "currency"
  | "created"
  | "due_date"
  | "amount_due"
  | "amount_paid"
  | "amount_remaining"
  | "pre_payment_credit_notes_amount"
  | "post_payment_credit_notes_amount"
> & {
  status_transitions: Pick<Stripe.Invoice.StatusTransitions, "finalized_at" | "paid_at" | "voided_at">;
  parent: {
    type: Stripe.Invoice.Parent["type"];
    subscription_details: Pick<Stripe.Invoice.Parent.SubscriptionDetails, "subscription"> | null;
  } | null;
};

/** A payment of an invoice (Stripe's invoice payments), `invoice` expanded or an id. */
export type ApiInvoicePayment = Pick<
  Stripe.InvoicePayment,
  "id" | "object" | "amount_paid" | "currency" | "status" | "created" | "status_transitions"
> & {
  invoice: string | ApiInvoice;
  payment: Pick<Stripe.InvoicePayment.Payment, "type">;
};

/** A credit note, as write-back reads Stripe's answer. */
export type ApiCreditNote = Pick<
  Stripe.CreditNote,
  "id" | "object" | "invoice" | "amount" | "currency" | "created"
>;

/** The objects the Events API delivers that the sync applies. */
export type ApiEventObject = ApiCustomer | ApiSubscription | ApiInvoice | ApiInvoicePayment;

/** An event, as the sync reads it (the object as it was when the event happened). */
export type ApiEvent = Pick<Stripe.Event, "id" | "object" | "type" | "created"> & {
  data: { object: ApiEventObject };
};

/** Stripe's documented error body (`{ error: { type, code, message, param } }`). */
export interface ApiErrorBody {
  error: { type: string; code?: string; message: string; param?: string };
}

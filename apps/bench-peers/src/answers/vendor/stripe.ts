/**
 * Stripe API objects as `GET /v1/invoices` and `GET /v1/subscriptions` return them, built from the
 * world's billing rows. Every documented field is present (the key sets below are those of the
 * Invoice, InvoiceLineItem, Subscription, SubscriptionItem, Price and Plan fixtures of Stripe's
 * OpenAPI repository, `openapi/fixtures3.json`, 2026-08); values are what a B2B account that sends
 * invoices with payment terms would hold: nulls where such an account has nothing, the world's
 * amounts, dates and names where it has something.
 *
 * The stripe SDK the billing pack syncs with (stripe 23.1.0, API version 2026-10-28.endive) types
 * the same objects a little differently: its Invoice has no top-level `subscription` (moved under
 * `parent` in 2025-03-31.basil) and its SubscriptionItem a required `current_trial`; the other
 * fields it adds are optional (expanded or preview-only). A few tokens per object either way.
 */
import type { BillingAccount, BillingPlan, BillingSubscription, InvoiceBundle } from "@toolpacks/world";
import { randomish, stripeId, unixSeconds } from "./ids.js";

/** Largest page of a Stripe list call (`limit` 1-100). */
export const STRIPE_PAGE = 100;

/** Top-level keys of a Stripe Invoice, as documented (fixtures3.json). */
export const STRIPE_INVOICE_KEYS = [
  "account_country",
  "account_name",
  "account_tax_ids",
  "amount_due",
  "amount_overpaid",
  "amount_paid",
  "amount_remaining",
  "amount_shipping",
  "application",
  "attempt_count",
  "attempted",
  "auto_advance",
  "automatic_tax",
  "automatically_finalizes_at",
  "billing_reason",
  "collection_method",
  "created",
  "currency",
  "custom_fields",
  "customer",
  "customer_account",
  "customer_address",
  "customer_email",
  "customer_name",
  "customer_phone",
  "customer_shipping",
  "customer_tax_exempt",
  "customer_tax_ids",
  "default_payment_method",
  "default_source",
  "default_tax_rates",
  "description",
  "discounts",
  "due_date",
  "effective_at",
  "ending_balance",
  "footer",
  "from_invoice",
  "hosted_invoice_url",
  "id",
  "invoice_pdf",
  "issuer",
  "last_finalization_error",
  "latest_revision",
  "lines",
  "livemode",
  "metadata",
  "next_payment_attempt",
  "number",
  "object",
  "on_behalf_of",
  "parent",
  "payment_settings",
  "period_end",
  "period_start",
  "post_payment_credit_notes_amount",
  "pre_payment_credit_notes_amount",
  "receipt_number",
  "rendering",
  "shipping_cost",
  "shipping_details",
  "starting_balance",
  "statement_descriptor",
  "status",
  "status_transitions",
  "subscription",
  "subtotal",
  "subtotal_excluding_tax",
  "test_clock",
  "total",
  "total_discount_amounts",
  "total_excluding_tax",
  "total_pretax_credit_amounts",
  "total_taxes",
  "webhooks_delivered_at",
] as const;

/** Keys of a Stripe invoice line item (fixtures3.json). */
export const STRIPE_LINE_KEYS = [
  "amount",
  "currency",
  "description",
  "discount_amounts",
  "discountable",
  "discounts",
  "id",
  "invoice",
  "livemode",
  "metadata",
  "object",
  "parent",
  "period",
  "pretax_credit_amounts",
  "pricing",
  "quantity",
  "quantity_decimal",
  "subscription",
  "subtotal",
  "taxes",
] as const;

/** Top-level keys of a Stripe Subscription (fixtures3.json). */
export const STRIPE_SUBSCRIPTION_KEYS = [
  "application",
  "application_fee_percent",
  "automatic_tax",
  "billing_cycle_anchor",
  "billing_cycle_anchor_config",
  "billing_mode",
  "billing_schedules",
  "billing_thresholds",
  "cancel_at",
  "cancel_at_period_end",
  "canceled_at",
  "cancellation_details",
  "collection_method",
  "created",
  "currency",
  "customer",
  "customer_account",
  "days_until_due",
  "default_payment_method",
  "default_source",
  "default_tax_rates",
  "description",
  "discounts",
  "ended_at",
  "id",
  "invoice_settings",
  "items",
  "latest_invoice",
  "livemode",
  "managed_payments",
  "metadata",
  "next_pending_invoice_item_invoice",
  "object",
  "on_behalf_of",
  "pause_collection",
  "payment_settings",
  "pending_invoice_item_interval",
  "pending_setup_intent",
  "pending_update",
  "schedule",
  "start_date",
  "status",
  "test_clock",
  "transfer_data",
  "trial_end",
  "trial_settings",
  "trial_start",
] as const;

/** Keys of a Stripe subscription item (fixtures3.json). */
export const STRIPE_SUBSCRIPTION_ITEM_KEYS = [
  "billing_thresholds",
  "created",
  "current_period_end",
  "current_period_start",
  "discounts",
  "id",
  "metadata",
  "object",
  "plan",
  "price",
  "quantity",
  "subscription",
  "tax_rates",
] as const;

/** The Stripe account issuing the invoices (the world's business); its id appears in hosted URLs. */
const ACCOUNT = { id: "acct_1Ql7w2Ht4ToolpacksW", country: "US", name: "Toolpacks Demo Inc." };

const lower = (currency: string) => currency.toLowerCase();

/** The first day of the month after `day` (subscription periods run month to month). */
function nextMonth(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/** A customer's address as Stripe stores it: the world knows the country only. */
function address(country: string) {
  return { city: null, country, line1: null, line2: null, postal_code: null, state: null };
}

function listOf<T>(data: T[], url: string) {
  return { object: "list", data, has_more: false, total_count: data.length, url };
}

/** One invoice, with its lines embedded as `lines` (Stripe embeds up to 10). */
export function stripeInvoice(bundle: InvoiceBundle, account: BillingAccount, asOf: string) {
  const inv = bundle.invoice;
  const id = stripeId("in", inv.id);
  const customer = stripeId("cus", inv.account_id);
  const created = unixSeconds(inv.issued_on, inv.id);
  const due = unixSeconds(inv.due_on, inv.id);
  const amountDue = inv.amount_minor - inv.amount_credited_minor;
  const subscription = inv.subscription_id ? stripeId("sub", inv.subscription_id) : null;
  const periodEnd = inv.subscription_id ? nextMonth(inv.issued_on) : inv.issued_on;
  const lineItems = bundle.lines.length
    ? bundle.lines.map((l) => ({
        key: `${inv.id}:${l.line_no}`,
        description: `${l.quantity} × ${l.sku}`,
        amount: l.amount_minor,
        quantity: l.quantity,
        unit: l.unit_price_minor,
      }))
    : [
        {
          key: `${inv.id}:1`,
          description: `Subscription ${inv.subscription_id ?? ""} (${inv.issued_on.slice(0, 7)})`,
          amount: inv.amount_minor,
          quantity: 1,
          unit: inv.amount_minor,
        },
      ];
  const lines = lineItems.slice(0, 10).map((l) => ({
    id: stripeId("il", l.key),
    object: "line_item",
    amount: l.amount,
    currency: lower(inv.currency),
    description: l.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: id,
    livemode: true,
    metadata: {},
    parent: subscription
      ? {
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration: false,
            proration_details: { credited_items: null },
            subscription,
            subscription_item: stripeId("si", inv.subscription_id ?? inv.id),
          },
          type: "subscription_item_details",
        }
      : {
          invoice_item_details: {
            invoice_item: stripeId("ii", l.key),
            proration: false,
            proration_details: { credited_items: null },
            subscription: null,
          },
          subscription_item_details: null,
          type: "invoice_item_details",
        },
    period: { end: unixSeconds(periodEnd, inv.id), start: created },
    pretax_credit_amounts: [],
    pricing: {
      price_details: {
        price: stripeId("price", `${inv.id}:${l.key}`),
        product: stripeId("prod", l.description),
      },
      type: "price_details",
      unit_amount_decimal: String(l.unit),
    },
    quantity: l.quantity,
    quantity_decimal: String(l.quantity),
    subscription,
    subtotal: l.amount,
    taxes: [],
  }));
  const finalized = created + 3600;
  return {
    id,
    object: "invoice",
    account_country: ACCOUNT.country,
    account_name: ACCOUNT.name,
    account_tax_ids: null,
    amount_due: amountDue,
    amount_overpaid: 0,
    amount_paid: inv.amount_paid_minor,
    amount_remaining: amountDue - inv.amount_paid_minor,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: inv.amount_paid_minor > 0,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: subscription ? "subscription_cycle" : "manual",
    collection_method: "send_invoice",
    created,
    currency: lower(inv.currency),
    custom_fields: null,
    customer,
    customer_account: null,
    customer_address: address(account.country),
    customer_email: `billing@${account.id.toLowerCase()}.example.com`,
    customer_name: account.name,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: due,
    effective_at: finalized,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `https://invoice.stripe.com/i/${ACCOUNT.id}/live_${randomish(`h:${inv.id}`, 96)}?s=ap`,
    invoice_pdf: `https://pay.stripe.com/invoice/${ACCOUNT.id}/live_${randomish(`h:${inv.id}`, 96)}/pdf?s=ap`,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: listOf(lines, `/v1/invoices/${id}/lines`),
    livemode: true,
    metadata: { toolpacks_invoice_id: inv.id },
    next_payment_attempt: null,
    number: `${randomish(`n:${inv.account_id}`, 8).toUpperCase()}-${inv.id.replace(/\D/g, "").slice(-4)}`,
    on_behalf_of: null,
    parent: subscription
      ? {
          quote_details: null,
          subscription_details: { metadata: {}, subscription },
          type: "subscription_details",
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: unixSeconds(periodEnd, inv.id),
    period_start: created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: inv.amount_credited_minor,
    receipt_number: null,
    rendering: {
      amount_tax_display: null,
      pdf: { page_size: "auto" },
      template: null,
      template_version: null,
    },
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: inv.status === "paid" ? "paid" : "open",
    status_transitions: {
      finalized_at: finalized,
      marked_uncollectible_at: null,
      paid_at: inv.settled_on && inv.settled_on <= asOf ? unixSeconds(inv.settled_on, inv.id) : null,
      voided_at: null,
    },
    subscription,
    subtotal: inv.amount_minor,
    subtotal_excluding_tax: inv.amount_minor,
    test_clock: null,
    total: inv.amount_minor,
    total_discount_amounts: [],
    total_excluding_tax: inv.amount_minor,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: finalized,
  };
}

/** One subscription with its (single) item, price and plan, as `GET /v1/subscriptions` lists it. */
export function stripeSubscription(sub: BillingSubscription, plan: BillingPlan, asOf: string) {
  const id = stripeId("sub", sub.id);
  const start = unixSeconds(sub.started_on, sub.id);
  // The world's subscriptions start on the first of a month, so each period is a calendar month.
  const periodStart = unixSeconds(`${asOf.slice(0, 7)}-01`, sub.id);
  const periodEnd = unixSeconds(nextMonth(asOf), sub.id);
  const unit = Math.round(sub.price_minor / sub.seats);
  const product = stripeId("prod", plan.id);
  const priceId = stripeId("price", `${plan.id}:${sub.currency}`);
  const canceled = sub.cancelled_on ? unixSeconds(sub.cancelled_on, sub.id) : null;
  const created = unixSeconds(sub.started_on, `p:${plan.id}`);
  const item = {
    id: stripeId("si", sub.id),
    object: "subscription_item",
    billing_thresholds: null,
    created: start,
    current_period_end: periodEnd,
    current_period_start: periodStart,
    discounts: [],
    metadata: {},
    plan: {
      id: priceId,
      object: "plan",
      active: true,
      amount: unit,
      amount_decimal: String(unit),
      billing_scheme: "per_unit",
      created,
      currency: lower(sub.currency),
      interval: plan.interval,
      interval_count: 1,
      livemode: true,
      metadata: {},
      meter: null,
      nickname: plan.name,
      product,
      tiers_mode: null,
      transform_usage: null,
      trial_period_days: null,
      usage_type: "licensed",
    },
    price: {
      id: priceId,
      object: "price",
      active: true,
      billing_scheme: "per_unit",
      created,
      currency: lower(sub.currency),
      custom_unit_amount: null,
      livemode: true,
      lookup_key: `${plan.id.toLowerCase()}_${lower(sub.currency)}_monthly`,
      metadata: {},
      nickname: plan.name,
      product,
      recurring: {
        interval: plan.interval,
        interval_count: 1,
        meter: null,
        trial_period_days: null,
        usage_type: "licensed",
      },
      tax_behavior: "exclusive",
      tiers_mode: null,
      transform_quantity: null,
      type: "recurring",
      unit_amount: unit,
      unit_amount_decimal: String(unit),
    },
    quantity: sub.seats,
    subscription: id,
    tax_rates: [],
  };
  return {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: start,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: "classic" },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: canceled,
    cancellation_details: {
      comment: null,
      feedback: canceled ? "switched_service" : null,
      reason: canceled ? "cancellation_requested" : null,
    },
    collection_method: "send_invoice",
    created: start,
    currency: lower(sub.currency),
    customer: stripeId("cus", sub.account_id),
    customer_account: null,
    days_until_due: 30,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: canceled,
    invoice_settings: { account_tax_ids: null, issuer: { type: "self" } },
    items: {
      object: "list",
      data: [item],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: stripeId("in", `${sub.id}:${asOf.slice(0, 7)}`),
    livemode: true,
    managed_payments: null,
    metadata: { toolpacks_subscription_id: sub.id },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: "off",
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: start,
    status: sub.status === "active" ? "active" : "canceled",
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { missing_payment_method: "create_invoice" } },
    trial_start: null,
  };
}

/** The pages of a Stripe list call over `objects`, `limit` 100, as the API returns them. */
export function stripePages(objects: readonly { id: string }[], url: string): unknown[] {
  const pages: unknown[] = [];
  for (let i = 0; i < objects.length; i += STRIPE_PAGE) {
    const data = objects.slice(i, i + STRIPE_PAGE);
    pages.push({ object: "list", data, has_more: i + STRIPE_PAGE < objects.length, url });
  }
  return pages;
}

import { defineTables, integer, type RowsOf, text } from "@toolpacks/pack-kit";

/**
 * Every billing table as the migrations build it, declared once: the queries' row types are
 * `Pick<Rows["table"], ...>` of these, and the conformance kit fails when this and the migrated
 * store (SQLite and Postgres) disagree on a table, a column, its kind or its nullability. A
 * migration that adds or changes a column changes this declaration too.
 */
export const tables = defineTables({
  billing_accounts: {
    id: text(),
    name: text(),
    country: text(),
    currency: text(),
    payment_terms_days: integer(),
    source_system: text().nullable(),
    source_id: text().nullable(),
    email: text().nullable(),
    tax_id: text().nullable(),
  },
  billing_plans: {
    id: text(),
    name: text(),
    interval: text(),
    price_minor: integer(),
    currency: text(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  billing_subscriptions: {
    id: text(),
    account_id: text(),
    plan_id: text(),
    status: text(),
    seats: integer(),
    price_minor: integer(),
    currency: text(),
    started_on: text(),
    cancelled_on: text().nullable(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  billing_mrr_events: {
    subscription_id: text(),
    effective_on: text(),
    account_id: text(),
    kind: text(),
    delta_minor: integer(),
    mrr_minor: integer(),
    currency: text(),
  },
  billing_revenue_monthly: {
    month: text(),
    currency: text(),
    invoices: integer(),
    invoiced_minor: integer(),
    subscriptions_minor: integer(),
    credited_minor: integer(),
    collected_minor: integer(),
  },
  billing_invoices: {
    id: text(),
    account_id: text(),
    subscription_id: text().nullable(),
    sales_order_id: text().nullable(),
    issued_on: text(),
    due_on: text(),
    amount_minor: integer(),
    amount_paid_minor: integer(),
    amount_credited_minor: integer(),
    currency: text(),
    settled_on: text().nullable(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  billing_invoice_lines: {
    invoice_id: text(),
    line_no: integer(),
    sku: text(),
    quantity: integer(),
    unit_price_minor: integer(),
    amount_minor: integer(),
  },
  billing_payments: {
    id: text(),
    invoice_id: text(),
    account_id: text(),
    paid_on: text(),
    amount_minor: integer(),
    currency: text(),
    method: text(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  billing_credit_notes: {
    id: text(),
    invoice_id: text(),
    account_id: text(),
    issued_on: text(),
    amount_minor: integer(),
    currency: text(),
    reason: text(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  billing_open_by_due: {
    currency: text(),
    due_on: text(),
    invoices: integer(),
    open_minor: integer(),
  },
  // A rollup kept by triggers (see its migration).
  billing_mrr_months: {
    currency: text(),
    kind: text(),
    month: text(),
    events: integer(),
    delta_minor: integer(),
  },
  // A rollup kept by triggers (see its migration).
  billing_open_by_account: {
    account_id: text(),
    currency: text(),
    invoices: integer(),
    open_minor: integer(),
  },
  // Kept by triggers: each account's oldest open due date per currency and under "*" (any).
  billing_open_oldest: {
    account_id: text(),
    currency: text(),
    oldest_due_on: text(),
  },
  // A rollup kept by triggers (see its migration).
  billing_open_oldest_counts: {
    currency: text(),
    oldest_due_on: text(),
    accounts: integer(),
  },
  // Kept by triggers: each subscription with the MRR of its latest movement that is not its churn.
  billing_subscription_mrr: {
    id: text(),
    account_id: text(),
    plan_id: text(),
    status: text(),
    seats: integer(),
    currency: text(),
    started_on: text(),
    cancelled_on: text().nullable(),
    mrr_minor: integer(),
    mrr_on: text().nullable(),
  },
  // A rollup kept by triggers (see its migration); cancelled_on is '' when not cancelled.
  billing_subscription_totals: {
    currency: text(),
    status: text(),
    started_on: text(),
    cancelled_on: text(),
    subscriptions: integer(),
    mrr_minor: integer(),
  },
  // Kept by triggers: open invoices per account, currency and due date, with the account's oldest.
  billing_open_cells: {
    account_id: text(),
    currency: text(),
    due_on: text(),
    oldest_due_on: text(),
    invoices: integer(),
    open_minor: integer(),
  },
  // A rollup kept by triggers (see its migration).
  billing_open_by_oldest: {
    currency: text(),
    oldest_due_on: text(),
    due_on: text(),
    cells: integer(),
    invoices: integer(),
    open_minor: integer(),
  },
  // A rollup kept by triggers (see its migration).
  billing_mrr_month_moves: {
    currency: text(),
    kind: text(),
    month: text(),
    events: integer(),
    moved_minor: integer(),
  },
  // Kept by triggers: movements preceded by one of the same subscription, kind and currency.
  billing_mrr_repeats: {
    subscription_id: text(),
    effective_on: text(),
    kind: text(),
    currency: text(),
    prev_on: text(),
  },
  // A rollup kept by triggers (see its migration).
  billing_open_oldest_totals: {
    currency: text(),
    oldest_due_on: text(),
    cells: integer(),
    open_minor: integer(),
  },
});

/** The row type of each billing table, e.g. `Rows["billing_accounts"]`. */
export type Rows = RowsOf<typeof tables>;

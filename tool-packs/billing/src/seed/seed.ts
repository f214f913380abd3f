import { insertRows, type Store, setAsOf, TableWriter } from "@toolpacks/pack-kit";
import {
  type BillingCreditNote,
  type BillingInvoiceLine,
  type BillingPayment,
  createWorld,
} from "@toolpacks/world";
import { revenueRollup } from "../revenue-rollup.js";
import { type StoredInvoice, storedInvoice } from "./rows.js";

const INVOICE_COLUMNS = [
  "id",
  "account_id",
  "subscription_id",
  "sales_order_id",
  "issued_on",
  "due_on",
  "amount_minor",
  "amount_paid_minor",
  "amount_credited_minor",
  "currency",
  "settled_on",
] as const satisfies readonly (keyof StoredInvoice)[];

/**
 * Fills an empty, migrated store with the billing slice of the shared world for `(scale, seed)`
 * and records its as-of date. One pass over invoice bundles feeds invoices, their lines, payments and
 * credit notes, all as the world generated them (an order invoice's lines are its ERP order's lines,
 * copied once in `@toolpacks/world`). Parents first (foreign keys on).
 */
export async function seedBilling(store: Store, options: { scale: number; seed: number }): Promise<void> {
  const world = createWorld({ scale: options.scale, seed: options.seed });
  const { billing } = world;
  await insertRows(
    store,
    "billing_accounts",
    ["id", "name", "country", "currency", "payment_terms_days"],
    billing.accounts(),
  );
  await insertRows(
    store,
    "billing_plans",
    ["id", "name", "interval", "price_minor", "currency"],
    billing.plans(),
  );
  await insertRows(
    store,
    "billing_subscriptions",
    [
      "id",
      "account_id",
      "plan_id",
      "status",
      "seats",
      "price_minor",
      "currency",
      "started_on",
      "cancelled_on",
    ],
    billing.subscriptions(),
  );
  await insertRows(
    store,
    "billing_mrr_events",
    ["subscription_id", "effective_on", "account_id", "kind", "delta_minor", "mrr_minor", "currency"],
    billing.mrrEvents(),
  );
  const invoices = new TableWriter<StoredInvoice>(store, "billing_invoices", INVOICE_COLUMNS);
  const payments = new TableWriter<BillingPayment>(
    store,
    "billing_payments",
    ["id", "invoice_id", "account_id", "paid_on", "amount_minor", "currency", "method"],
    { parent: invoices },
  );
  const credits = new TableWriter<BillingCreditNote>(
    store,
    "billing_credit_notes",
    ["id", "invoice_id", "account_id", "issued_on", "amount_minor", "currency", "reason"],
    { parent: invoices },
  );
  const lines = new TableWriter<BillingInvoiceLine>(
    store,
    "billing_invoice_lines",
    ["invoice_id", "line_no", "sku", "quantity", "unit_price_minor", "amount_minor"],
    { parent: invoices },
  );
  for (const bundle of billing.invoiceBundles()) {
    await invoices.push(storedInvoice(bundle.invoice));
    for (const l of bundle.lines) await lines.push(l);
    for (const p of bundle.payments) await payments.push(p);
    for (const c of bundle.creditNotes) await credits.push(c);
  }
  await lines.flush();
  await payments.flush();
  await credits.flush();
  await store.batch(revenueRollup());
  // Table statistics: without them SQLite may scan a whole index to avoid a sort instead of
  // reading the small open-invoice slice through its partial index.
  try {
    await store.run("ANALYZE");
  } catch {
    // A hosted SQLite that refuses ANALYZE still answers correctly, only with default plans.
  }
  await setAsOf(store, world.asOf);
}

import { definePack, type PackDefinition, syncStatusTool } from "@toolpacks/pack-kit";
import packageJson from "../package.json" with { type: "json" };
import { stripeSync } from "./connectors/stripe/api/spec.js";
import { stripeConnector } from "./connectors/stripe/index.js";
import { billingAfterImport } from "./derived.js";
import { migrations } from "./migrations.js";
import { seedBilling } from "./seed/seed.js";
import { tables } from "./tables.js";
import { readTools, writeTools } from "./tools/index.js";

/** How fresh the billing data is: per system last sync, lag and last error; per table as_of. */
const syncStatus = syncStatusTool("billing");

/** Options of `createBillingPack`. */
export interface BillingPackOptions {
  /** Leave out the write tools (invoice_order, record_payment, issue_credit_note). Default false. */
  readOnly?: boolean;
}

/**
 * Builds the billing pack: finance answers (MRR/ARR and movements, AR aging, overdue invoices,
 * a customer's balance and payment behaviour, revenue by period, dunning candidates, a batch
 * overdue check, invoice details) and three checked, idempotent-capable writes over `billing_*`
 * tables seeded from the shared world.
 */
export function createBillingPack(options: BillingPackOptions = {}): PackDefinition {
  return definePack({
    name: "billing",
    version: packageJson.version,
    title: "Billing",
    description:
      "Finance answers from the billing system as compact aggregates: MRR/ARR and their movements (new, " +
      "expansion, contraction, churn), AR aging buckets, overdue invoices, a customer's balance and payment " +
      "behaviour, revenue by month or quarter, dunning candidates, a one-call overdue check for a list of " +
      "accounts (before shipping more) and invoice details. Writes: invoice an order's lines (once per order, " +
      "amounts checked), record a payment (never above the open amount), issue a credit note (never above the " +
      "invoice net of earlier credits). Money is integer minor units with an ISO currency; cross-currency totals " +
      "are in USD at fixed rates. Account ids are shared with the CRM and ERP (C-000042). Every answer is as of " +
      "the billing system's date (as_of).",
    tools: options.readOnly ? [...readTools, syncStatus] : [...readTools, syncStatus, ...writeTools],
    migrations,
    dialects: ["sqlite", "postgres"],
    tables,
    seed: seedBilling,
    connectors: [stripeConnector],
    syncSources: [stripeSync],
    afterImport: billingAfterImport,
    // Billing accounts are customers to the identity map (the email's domain counts as a domain).
    identity: [
      { entity: "customer", sql: "SELECT id, name, email AS domain, email, tax_id FROM billing_accounts" },
    ],
  });
}

/** The billing pack with all its tools. */
export const pack: PackDefinition = createBillingPack();

import { reportingCurrencySchema } from "@toolpacks/pack-kit";
import { CURRENCIES, RATES_PER_USD } from "@toolpacks/world";
import { z } from "zod";

/** An ISO 4217 currency the billing system invoices in. */
export const currencySchema = z.enum(CURRENCIES).describe("ISO 4217 currency code");

/**
 * Billing account id (the same id as the CRM account and the ERP customer in the generated world;
 * on imported data the CRM's or the ERP's id resolves through the identity map).
 */
export const accountIdSchema = z
  .string()
  .min(1)
  .max(64)
  .describe(
    "billing account id = CRM account id = ERP customer id, e.g. C-000042 (on imported data, the CRM's or ERP's id of the customer resolves through the identity map)",
  );

/** Invoice id. */
export const invoiceIdSchema = z
  .string()
  .min(1)
  .max(64)
  .describe(
    "invoice id: INV-O0000042 is the invoice of sales order SO-0000042 (deal D-0000042), INV-S000042-202606 the June 2026 invoice of subscription SUB-000042",
  );

/**
 * Sales order id as the ERP issues it: `SO-` plus the deal number in the generated world; on
 * imported data the ERP's own reference (Odoo `S00042`, ERPNext `SAL-ORD-2026-00042`).
 */
export const orderIdSchema = z
  .string()
  .regex(
    /^[0-9A-Za-z][0-9A-Za-z _.:/#-]{0,59}$/,
    "use the ERP sales order id as the ERP gives it, e.g. SO-0000042 or S00042: a letter or digit, then letters, digits, spaces or _.:/#- (at most 60)",
  )
  .describe(
    "ERP sales order id as the ERP gives it, e.g. SO-0000042 (the order of deal D-0000042; its invoice is INV-O0000042) or an imported ERP's S00042 (invoice INV-O-S00042)",
  );

/** Integer minor units (cents) in the currency named beside it. */
export const minor = z.number().int().describe("integer minor units (cents)");

/** `reporting_currency`: USD, described by the one conversion rule every pack states. */
export const reportingCurrency = reportingCurrencySchema(RATES_PER_USD);

/** An ISO date input (`YYYY-MM-DD`). */
export const isoDateSchema = z.iso.date().describe("ISO 8601 date YYYY-MM-DD");

/** A minimum number of days past due. */
export const minDaysOverdueSchema = z
  .number()
  .int()
  .min(1)
  .max(3650)
  .default(1)
  .describe("count an invoice as overdue from this many days past its due date (default 1)");

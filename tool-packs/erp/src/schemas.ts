import { REPORTING_CURRENCY } from "@toolpacks/world";
import { z } from "zod";

/** Sales order statuses: `draft` (created from a deal), `confirmed` (to ship), `shipped`. */
export const ORDER_STATUSES = ["draft", "confirmed", "shipped"] as const;

/** A sales order status. */
export const orderStatusSchema = z
  .enum(ORDER_STATUSES)
  .describe("sales order status: draft, confirmed or shipped");

/** Statuses of an order that has not shipped yet. */
export const OPEN_ORDER_STATUSES = ["draft", "confirmed"] as const;

/** Purchase order statuses. */
export const poStatusSchema = z.enum(["open", "received", "cancelled"]).describe("purchase order status");

/** CRM deal id input; a sales order's id is derived from it (D-0000042 -> SO-0000042). */
export const dealIdSchema = z
  .string()
  .regex(/^D-\d{1,10}$/, "a deal id looks like D-0000042")
  .describe("CRM deal id, e.g. D-0000042");

/** Sales order id input. */
export const orderIdSchema = z
  .string()
  .regex(/^SO-\d{1,10}$/, "a sales order id looks like SO-0000042")
  .describe("sales order id, e.g. SO-0000042");

/** Customer id input (the same id as the CRM account and the billing account). */
export const customerIdSchema = z
  .string()
  .regex(/^C-\d{1,10}$/, "a customer id looks like C-000042")
  .describe("customer id = CRM account id, e.g. C-000042");

/** SKU input (shared with CRM deal lines and warehouse stock). */
export const skuSchema = z
  .string()
  .regex(/^SKU-\d{1,10}$/, "a SKU looks like SKU-00042")
  .describe("item SKU, e.g. SKU-00042");

/** Supplier id input. */
export const supplierIdSchema = z
  .string()
  .regex(/^SUP-\d{1,10}$/, "a supplier id looks like SUP-004")
  .describe("supplier id, e.g. SUP-004");

/** Warehouse location id input (shared with the warehouse pack). */
export const locationIdSchema = z
  .string()
  .regex(/^WH-\d{1,6}$/, "a location id looks like WH-01")
  .describe("warehouse location id, e.g. WH-01");

/** An ISO currency code of the world. */
export const currencySchema = z.enum(["USD", "EUR", "GBP"]).describe("ISO 4217 currency");

/** The reporting currency every cross-currency aggregate is in. */
export const reportingCurrency = z
  .literal(REPORTING_CURRENCY)
  .describe("currency of every *_usd_minor aggregate");

/** Integer minor units (cents). */
export const minor = z.number().int().describe("integer minor units (cents)");

/** An ISO date `YYYY-MM-DD`. */
export const isoDateSchema = z.iso.date().describe("ISO date YYYY-MM-DD");

/** Sales order id of a deal: the deal's number with the `SO-` prefix. */
export function orderIdForDeal(dealId: string): string {
  return `SO-${dealId.slice(2)}`;
}

/** SQL placeholders `?, ?, ?` for a list. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => "?").join(", ");
}

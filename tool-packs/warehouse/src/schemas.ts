import { z } from "zod";

/** Sales order id input (the ERP's order, e.g. SO-0000042). */
export const orderIdSchema = z
  .string()
  .regex(/^SO-\d{1,10}$/, "a sales order id looks like SO-0000042")
  .describe("ERP sales order id, e.g. SO-0000042");

/** SKU input (shared with the ERP items and CRM deal lines). */
export const skuSchema = z
  .string()
  .regex(/^SKU-\d{1,10}$/, "a SKU looks like SKU-00042")
  .describe("item SKU, e.g. SKU-00042");

/** Warehouse location id input. */
export const locationIdSchema = z
  .string()
  .regex(/^WH-\d{1,6}$/, "a location id looks like WH-01")
  .describe("warehouse location id, e.g. WH-01");

/** One requested line: a SKU and a quantity. */
export const lineInputSchema = z.object({
  sku: skuSchema,
  quantity: z.number().int().min(1).max(1_000_000).describe("units, 1 to 1,000,000"),
});

/** A requested line. */
export type LineInput = z.infer<typeof lineInputSchema>;

/** Integer minor units (cents). */
export const minor = z.number().int().describe("integer minor units (cents)");

/** The currency every value of this pack is in (items carry a USD standard cost). */
export const valuationCurrency = z.literal("USD").describe("currency of every *_minor value");

/** Reservation statuses. */
export const reservationStatusSchema = z.enum(["active", "released", "shipped"]);

/** Shipment statuses. */
export const shipmentStatusSchema = z.enum(["in_transit", "delivered"]);

/** SQL placeholders `?, ?, ?` for a list. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => "?").join(", ");
}

/** The ISO date `days` after `iso` (negative goes back). */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso.slice(0, 10)) + days * 86_400_000).toISOString().slice(0, 10);
}

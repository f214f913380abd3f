import { reportingCurrencySchema } from "@toolpacks/pack-kit";
import { RATES_PER_USD } from "@toolpacks/world";
import { z } from "zod";

/**
 * An id as a source system writes it (the generated world's `SKU-00042`, a Shopify SKU or
 * location name, an ERP's order number): a letter or digit first, then letters, digits, spaces
 * and the punctuation names and numbers use (no `;`, `<`, `>`, `\`, `=`, `%`, `*`), at most 64.
 */
export function recordIdSchema(what: string, example: string) {
  return z
    .string()
    .regex(
      /^[0-9A-Za-z\u00C0-\uFFFF][0-9A-Za-z\u00C0-\uFFFF _.,:/#&'"()+@!-]{0,63}$/,
      `${what}: a letter or digit, then letters, digits, spaces or _.,:/#&'"()+@!- (at most 64), e.g. ${example}`,
    )
    .describe(`${what}, e.g. ${example}`);
}

/** Sales order id input (the ERP's order, e.g. SO-0000042). */
export const orderIdSchema = recordIdSchema("ERP sales order id", "SO-0000042");

/** SKU input (shared with the ERP items and CRM deal lines). */
export const skuSchema = recordIdSchema("item SKU", "SKU-00042");

/** Warehouse location id input. */
export const locationIdSchema = recordIdSchema("warehouse location id", "WH-01");

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
export const valuationCurrency = reportingCurrencySchema(RATES_PER_USD);

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

import { UsdTotals as KitUsdTotals, reportingCurrencySchema, usdOfTotals } from "@toolpacks/pack-kit";
import { type Currency, RATES_PER_USD, toReportingMinor } from "@toolpacks/world";
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

/**
 * An id as a source system writes it (the generated world's `C-000042`, an Odoo or ERPNext
 * order number, a customer name, a SKU): a letter or digit first, then letters, digits, spaces
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

/** CRM deal id input; a sales order's id is derived from it (D-0000042 -> SO-0000042). */
export const dealIdSchema = recordIdSchema("CRM deal id", "D-0000042").describe(
  "CRM deal id, e.g. D-0000042 (its sales order is SO-0000042)",
);

/** Sales order id input. */
export const orderIdSchema = recordIdSchema("sales order id", "SO-0000042").describe(
  "sales order id, e.g. SO-0000042 (the order of deal D-0000042)",
);

/** Customer id input (the same id as the CRM account and the billing account). */
export const customerIdSchema = recordIdSchema("customer id = CRM account id", "C-000042");

/** SKU input (shared with CRM deal lines and warehouse stock). */
export const skuSchema = recordIdSchema("item SKU", "SKU-00042");

/** Supplier id input. */
export const supplierIdSchema = recordIdSchema("supplier id", "SUP-004");

/** Warehouse location id input (shared with the warehouse pack). */
export const locationIdSchema = recordIdSchema("warehouse location id", "WH-01");

/** An ISO currency code of the world. */
export const currencySchema = z.enum(["USD", "EUR", "GBP"]).describe("ISO 4217 currency");

/** `reporting_currency`: USD, described by the one conversion rule every pack states. */
export const reportingCurrency = reportingCurrencySchema(RATES_PER_USD);

/** USD totals per key by the one rule (see pack-kit's `UsdTotals`), at the world's rates. */
export class UsdTotals<K> extends KitUsdTotals<K, Currency> {
  constructor() {
    super(toReportingMinor);
  }
}

/** The USD figure of per-currency totals: each converted once, then added. */
export function usdOf(totals: Iterable<readonly [Currency, number]>): number {
  return usdOfTotals(totals, toReportingMinor);
}

/**
 * A line's price per unit after any deal discount, in the order's currency: the same name and
 * meaning as the CRM deal line's, so a deal's lines pass to create_sales_order as they are.
 */
export const netUnitPrice = z
  .number()
  .int()
  .describe("price per unit after discount (what the customer pays), in the order's currency");

/** Integer minor units (cents). */
export const minor = z.number().int().describe("integer minor units (cents)");

/** An ISO date `YYYY-MM-DD`. */
export const isoDateSchema = z.iso.date().describe("ISO date YYYY-MM-DD");

/**
 * Sales order id of a deal: the deal's number with the `SO-` prefix (D-0000042 -> SO-0000042);
 * an imported CRM's deal id keeps its own form (`SO-` + the id).
 */
export function orderIdForDeal(dealId: string): string {
  return /^D-\d+$/.test(dealId) ? `SO-${dealId.slice(2)}` : `SO-${dealId}`;
}

/** SQL placeholders `?, ?, ?` for a list. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => "?").join(", ");
}

import { reportingCurrencySchema } from "@toolpacks/pack-kit";
import { CURRENCIES, DEAL_STAGES, OPEN_STAGES, RATES_PER_USD, STAGE_PROBABILITY } from "@toolpacks/world";
import { z } from "zod";

/** A deal stage. */
export const stageSchema = z.enum(DEAL_STAGES).describe("deal stage");

/** Deal id input. */
export const dealIdSchema = z.string().min(1).max(64).describe("deal id, e.g. D-0000042");

/** Account id input (the same id as the ERP customer and the billing account). */
export const accountIdSchema = z.string().min(1).max(64).describe("account id, e.g. C-000042");

/** Owner (salesperson) id input. */
export const ownerIdSchema = z.string().min(1).max(64).describe("owner (salesperson) id, e.g. U-003");

/** Sales team input. */
export const teamSchema = z.enum(["NA", "EMEA"]).describe("sales team");

/** `reporting_currency`: USD, described by the one conversion rule every pack states. */
export const reportingCurrency = reportingCurrencySchema(RATES_PER_USD);

/**
 * An amount's ISO 4217 currency: the world's union (`Currency`), the same type ERP's
 * `create_sales_order` and billing's `invoice_order` take, so a deal's currency flows into those
 * writes without a cast.
 */
export const currencySchema = z.enum(CURRENCIES).describe("ISO 4217 currency code");

/** Integer minor units (cents). */
export const minor = z.number().int().describe("integer minor units (cents)");

/** SQL list of the open stages, for `stage IN (...)`. */
export const OPEN_STAGE_SQL = OPEN_STAGES.map((s) => `'${s}'`).join(", ");

/** Integer US cents (converted at the world's fixed rates by the rule `reporting_currency` states). */
export const usdMinor = z.number().int().describe("integer minor units (cents)");

/**
 * SQL expression: the deal's native amount x its stage's win probability in percent (100 x the
 * weighted amount, so a SUM stays exact; `WeightedUsdTotals` divides once per currency total).
 */
export const WEIGHTED_X100_SQL = `amount_minor * CASE stage ${OPEN_STAGES.map(
  (s) => `WHEN '${s}' THEN ${STAGE_PROBABILITY[s]}`,
).join(" ")} WHEN 'closed_won' THEN 100 ELSE 0 END`;

/**
 * A deal line's price per unit after its discount: what the customer pays, in the deal's
 * currency. ERP's create_sales_order takes it under the same name, so a deal's lines pass as is.
 */
export const netUnitPrice = z
  .number()
  .int()
  .describe(
    "price per unit after discount_pct (already applied: never discount it again), in the deal's currency",
  );

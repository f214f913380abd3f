import {
  CURRENCIES,
  DEAL_STAGES,
  OPEN_STAGES,
  REPORTING_CURRENCY,
  STAGE_PROBABILITY,
} from "@toolpacks/world";
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

/** The reporting currency every cross-currency aggregate is in. */
export const reportingCurrency = z
  .literal(REPORTING_CURRENCY)
  .describe("currency of every *_minor aggregate");

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

/** SQL expression: the deal's win-probability-weighted amount in the reporting currency. */
export const WEIGHTED_SQL = `amount_usd_minor * CASE stage ${OPEN_STAGES.map(
  (s) => `WHEN '${s}' THEN ${STAGE_PROBABILITY[s]}`,
).join(" ")} WHEN 'closed_won' THEN 100 ELSE 0 END / 100`;

import { CellError, type SqlValue } from "@toolpacks/pack-kit";
import { CURRENCIES, type Currency, DEAL_STAGES, toReportingMinor } from "@toolpacks/world";

const currencies: readonly string[] = CURRENCIES;
const stages: readonly string[] = DEAL_STAGES;

function currencyOf(values: Record<string, SqlValue>): Currency {
  const currency = values["currency"];
  if (typeof currency !== "string" || !currencies.includes(currency)) {
    throw new CellError(
      "unsupported_currency",
      `currency ${JSON.stringify(currency)} is not one the CRM reports in (${CURRENCIES.join(", ")}).`,
    );
  }
  return currency as Currency;
}

/**
 * The CRM's rules for every imported row, whatever the format: a deal's stage is one of the
 * pack's, its currency one the reporting rates cover, and its USD amount is derived here (the
 * same fixed rates the world uses) so every aggregate stays one SUM.
 */
export function completeCrmRow(table: string, values: Record<string, SqlValue>): Record<string, SqlValue> {
  if (table === "crm_accounts" && "currency" in values) currencyOf(values);
  if (table !== "crm_deals") return values;
  if (!stages.includes(String(values["stage"]))) {
    throw new CellError(
      "invalid_value",
      `stage ${JSON.stringify(values["stage"])} is not one of ${DEAL_STAGES.join(", ")}.`,
    );
  }
  const amount = values["amount_minor"];
  if (typeof amount !== "number" || !Number.isSafeInteger(amount)) {
    throw new CellError("invalid_money", `amount ${JSON.stringify(amount)} is not integer minor units.`);
  }
  return { ...values, amount_usd_minor: toReportingMinor(amount, currencyOf(values)) };
}

/**
 * Currencies of the world. Money is always integer minor units plus an ISO 4217
 * code; every world currency has two minor digits. Rates are fixed per world so
 * conversions are reproducible (they are not market data).
 */

/** Currencies the world uses, in the order accounts are assigned to them. */
export const CURRENCIES = ["USD", "EUR", "GBP"] as const;

/** An ISO 4217 code the world uses. */
export type Currency = (typeof CURRENCIES)[number];

/** The currency aggregates across currencies are reported in. */
export const REPORTING_CURRENCY: Currency = "USD";

/** Units of each currency per 1 USD, fixed for every world. */
export const RATES_PER_USD: Readonly<Record<Currency, number>> = { USD: 1, EUR: 0.92, GBP: 0.79 };

/** Converts integer minor units between world currencies, rounding half away from zero. */
export function convertMinor(amountMinor: number, from: Currency, to: Currency): number {
  if (from === to) return amountMinor;
  return Math.round((amountMinor / RATES_PER_USD[from]) * RATES_PER_USD[to]);
}

/** Converts integer minor units into the reporting currency (USD). */
export function toReportingMinor(amountMinor: number, currency: Currency): number {
  return convertMinor(amountMinor, currency, REPORTING_CURRENCY);
}

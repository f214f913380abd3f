import { type Currency, RATES_PER_USD, REPORTING_CURRENCY, toReportingMinor } from "@toolpacks/world";

/**
 * Cross-currency totals are always "add each currency's amounts, convert each currency's total
 * once, then add", at the world's fixed rates (the rule `reporting_currency` states in every
 * pack). Amounts of one currency may come in several rows (accounts, months): they are summed
 * before converting, so the figure can be recomputed from per-currency totals exactly.
 */
export function sumInReporting(totals: Iterable<{ currency: string; minor: number }>): number {
  const perCurrency = new Map<string, number>();
  for (const { currency, minor } of totals)
    perCurrency.set(currency, (perCurrency.get(currency) ?? 0) + minor);
  let sum = 0;
  for (const [currency, minor] of perCurrency) sum += toReportingMinor(minor, currency as Currency);
  return sum;
}

/** Converts one amount into the reporting currency (USD). */
export function toUsd(minor: number, currency: string): number {
  return toReportingMinor(minor, currency as Currency);
}

/**
 * SQL expression: `column` (minor units in the row's `currency` column) converted to the
 * reporting currency, for ordering rows of mixed currencies by size.
 */
export function usdSql(column: string, currencyColumn = "currency"): string {
  const cases = Object.entries(RATES_PER_USD)
    .filter(([code]) => code !== REPORTING_CURRENCY)
    .map(([code, rate]) => `WHEN '${code}' THEN ${column} / ${rate}`)
    .join(" ");
  return `(CASE ${currencyColumn} ${cases} ELSE ${column} END)`;
}

/** ISO 4217 currencies whose minor unit is not 1/100 (the rest have 2 decimals). */
const MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };

/** Renders integer minor units as `123.45 EUR` for messages a model reads. */
export function formatMinor(amountMinor: number, currency: string): string {
  if (!Number.isSafeInteger(amountMinor))
    throw new RangeError(`amount must be integer minor units, got ${amountMinor}`);
  const digits = MINOR_DIGITS[currency] ?? 2;
  const abs = Math.abs(amountMinor)
    .toString()
    .padStart(digits + 1, "0");
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const frac = digits === 0 ? "" : `.${abs.slice(-digits)}`;
  return `${amountMinor < 0 ? "-" : ""}${whole}${frac} ${currency}`;
}

import { UsdTotals as KitUsdTotals, usdOfTotals } from "@toolpacks/pack-kit";
import { type Currency, toReportingMinor } from "@toolpacks/world";

/** ISO 4217 currencies whose minor unit is not 1/100 (the rest default to 2 decimals). */
const MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };

/**
 * Renders integer minor units as a decimal string, so answers keep exact
 * integers in `structuredContent` and a readable amount in text.
 */
export function formatMinor(amountMinor: number, currency: string): string {
  if (!Number.isSafeInteger(amountMinor))
    throw new RangeError(`amount must be integer minor units, got ${amountMinor}`);
  const digits = MINOR_DIGITS[currency] ?? 2;
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor)
    .toString()
    .padStart(digits + 1, "0");
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const frac = digits === 0 ? "" : `.${abs.slice(-digits)}`;
  return `${sign}${whole}${frac} ${currency}`;
}

/** USD totals per key by the one rule (see pack-kit's `UsdTotals`), at the world's rates. */
export class UsdTotals<K> extends KitUsdTotals<K, Currency> {
  constructor() {
    super(toReportingMinor);
  }
}

/** Σ over currencies of round(total / rate): the USD figure of per-currency totals. */
export function usdOf(totals: Iterable<readonly [Currency, number]>): number {
  return usdOfTotals(totals, toReportingMinor);
}

/**
 * Like `UsdTotals`, for probability-weighted amounts added as 100 x cents (the SUM of
 * `WEIGHTED_X100_SQL`): a currency's weighted total is rounded to the cent once, then converted.
 */
export class WeightedUsdTotals<K> extends KitUsdTotals<K, Currency> {
  constructor() {
    super((x100, currency) => toReportingMinor(Math.round(x100 / 100), currency));
  }
}

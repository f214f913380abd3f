/**
 * The one rule every pack follows for money in answers, stated here once and carried into each
 * pack's declarations by `reportingCurrencySchema` (its description is the rule, so compact
 * declarations state it once for every tool that reports a converted total).
 *
 * - `*_minor` is integer minor units (cents) in the currency named next to it: a sibling
 *   `currency` field, or the field's description.
 * - `*_usd_minor` is integer US cents converted at the world's fixed rates.
 * - A USD figure converts each currency's own total for that figure once (rounded to the cent)
 *   and adds the results: `Σ round(total_c / rate_c)`. So an answer's USD total is recomputable
 *   from its per-currency totals and the rates, and a breakdown row (a month, a stage, an owner)
 *   is converted on its own, so rows may add up to a few cents more or less than the total.
 */
import { z } from "zod";

/** The answer field naming the currency of every `*_usd_minor` figure. */
export const REPORTING_CURRENCY_FIELD = "reporting_currency";

/**
 * The conversion rule as one line, with the rates (`{ EUR: 0.92 }` = units per 1 USD), e.g.
 * `USD; a *_usd_minor figure converts each currency's total once at fixed rates (1 USD = 0.92 EUR
 * = 0.79 GBP), rounds to the cent and adds, so it is recomputable from by_currency; each
 * breakdown row is converted on its own`.
 */
export function usdConversionRule(ratesPerUsd: Readonly<Record<string, number>>): string {
  const rates = Object.entries(ratesPerUsd)
    .filter(([code]) => code !== "USD")
    .map(([code, rate]) => `${rate} ${code}`)
    .join(" = ");
  return (
    `USD: every *_usd_minor figure converts each currency's total once at fixed rates (1 USD = ${rates}), ` +
    "rounded to the cent, then adds them, so it is recomputable from the per-currency totals; a breakdown row is converted on its own, so rows may differ from the total by a few cents"
  );
}

/** The `reporting_currency: "USD"` output field, described by the conversion rule. */
export function reportingCurrencySchema(ratesPerUsd: Readonly<Record<string, number>>) {
  return z.literal("USD").describe(usdConversionRule(ratesPerUsd));
}

/** Converts integer minor units of `currency` to integer US cents (the pack's world rates). */
export type ToUsd<C extends string = string> = (minor: number, currency: C) => number;

/**
 * Native sums per key (an owner, a stage, a month) and currency, turned into USD by the rule:
 * each currency's total for a figure is converted once, then the currencies are added. A key's
 * figure converts its own totals; `usdAll` converts the grand totals over every key.
 */
export class UsdTotals<K, C extends string = string> {
  private readonly sums = new Map<K, Map<C, number>>();

  constructor(private readonly toUsd: ToUsd<C>) {}

  /** Adds `minor` (in `currency`) to `key`. */
  add(key: K, currency: C, minor: number): void {
    const byCurrency = this.sums.get(key) ?? new Map<C, number>();
    byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + minor);
    this.sums.set(key, byCurrency);
  }

  /** The key's native total in `currency` (0 when none). */
  native(key: K, currency: C): number {
    return this.sums.get(key)?.get(currency) ?? 0;
  }

  /** The key's USD figure (0 for a key never added to). */
  usd(key: K): number {
    return usdOfTotals(this.sums.get(key) ?? [], this.toUsd);
  }

  /** The USD figure over every key: each currency's grand total converted once. */
  usdAll(): number {
    const all = new Map<C, number>();
    for (const byCurrency of this.sums.values())
      for (const [currency, minor] of byCurrency) all.set(currency, (all.get(currency) ?? 0) + minor);
    return usdOfTotals(all, this.toUsd);
  }
}

/** The USD figure of per-currency totals: Σ toUsd(total, currency), each total converted once. */
export function usdOfTotals<C extends string>(
  totals: Iterable<readonly [C, number]>,
  toUsd: ToUsd<C>,
): number {
  let sum = 0;
  for (const [currency, minor] of totals) sum += toUsd(minor, currency);
  return sum;
}

// Test helper (not exported from the package): the kit's seeded client over the CRM pack, plus
// the same world for independent expectations.
import { openSeededClient, type SeededClient } from "@toolpacks/pack-kit/testing";
import { type Currency, createWorld, toReportingMinor, type World } from "@toolpacks/world";
import { pack } from "./pack.js";

/** A seeded CRM under test: `call`, `ask`, `fail`, `pages` (see the kit's `openSeededClient`). */
export interface CrmUnderTest extends SeededClient {
  world: World;
}

/** Opens an in-memory store seeded with the world `(scale, seed)` and connects a client. */
export async function openCrm(scale = 5_000, seed = 3): Promise<CrmUnderTest> {
  const crm = await openSeededClient(pack, { scale, seed });
  return { ...crm, world: createWorld({ scale, seed }) };
}

/**
 * The USD figure of native amounts by the rule every pack states, computed independently of the
 * pack: sum per currency, convert each currency's total once, add.
 */
export function usdByRule(amounts: Iterable<{ currency: Currency; minor: number }>): number {
  const perCurrency = new Map<Currency, number>();
  for (const a of amounts) perCurrency.set(a.currency, (perCurrency.get(a.currency) ?? 0) + a.minor);
  return [...perCurrency].reduce((sum, [currency, minor]) => sum + toReportingMinor(minor, currency), 0);
}

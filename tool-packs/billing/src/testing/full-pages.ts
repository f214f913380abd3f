import { createWorld } from "@toolpacks/world";

/** The 10^5-row world the conformance kit checks largest pages on, where every page fills up. */
export const FULL_PAGES_WORLD = { scale: 100_000, seed: 1 } as const;

/**
 * `check_overdue_accounts` with its most ids, all of accounts that are overdue in
 * `FULL_PAGES_WORLD`: the kit's counted-up ids (`C-000001`, `C-000002`, ...) are mostly clear
 * accounts, which answer in a few tokens, so the largest answer would go unchecked.
 */
export function fullPageCalls(): Record<string, Array<Record<string, unknown>>> {
  const overdue = new Set<string>();
  for (const invoice of createWorld(FULL_PAGES_WORLD).billing.invoices()) {
    if (invoice.status === "overdue") overdue.add(invoice.account_id);
    if (overdue.size === 100) break;
  }
  return { check_overdue_accounts: [{ account_ids: [...overdue] }] };
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingFixture, openBillingFixture } from "./testing/billing-fixture.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

// The fixture's client refuses over-budget answers, so each call below fails if its largest
// answer does not fit. Lists are filled to their maximum so the bound is really reached.
describe("answer budgets", () => {
  it.each([
    ["ar_aging", { limit: 25 }, "top_accounts"],
    ["overdue_invoices", { limit: 20, min_days_overdue: 1 }, "invoices"],
    ["dunning_candidates", { limit: 20 }, "candidates"],
    ["mrr_summary", { period: "2025-07-01..2026-06-30", limit: 20 }, "top_movements"],
    ["list_subscriptions", { limit: 20 }, "subscriptions"],
  ] as const)("%s at its largest page fits its budget", async (tool, args, list) => {
    const answer = await f.ask<Record<string, unknown>>(tool, args);
    const items = answer[list] as unknown[];
    // A full page, unless the world has fewer rows than a page (then there is no next page).
    if (items.length !== args.limit) expect(answer["next_cursor"]).toBeNull();
    expect(items.length).toBeGreaterThanOrEqual(20);
  });

  it("revenue_by_period over its longest range, 24 months, fits its budget", async () => {
    const answer = await f.ask<{ periods: unknown[] }>("revenue_by_period", {
      from: "2024-07",
      to: "2026-06",
    });
    expect(answer.periods.length).toBe(24);
  });

  it("check_overdue_accounts with 100 ids fits its budget", async () => {
    const ids = f.world
      .customers()
      .slice(0, 100)
      .map((c) => c.id);
    const answer = await f.ask<{ checked: number }>("check_overdue_accounts", { account_ids: ids });
    expect(answer.checked).toBe(100);
  });
});

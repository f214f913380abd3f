import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dunningStage } from "../dunning.js";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";
import { overdueByAccount } from "../testing/world-facts.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Dunning = {
  totals: { accounts: number };
  by_stage: Array<{ stage: string; accounts: number }>;
  candidates: Array<{
    account_id: string;
    stage: string;
    oldest_days_overdue: number;
    overdue_minor: number;
  }>;
  next_cursor: string | null;
};

describe("dunning_candidates", () => {
  it("walks every overdue account once, each with the stage its oldest overdue invoice calls for", async () => {
    const expected = overdueByAccount(f.world);
    const seen: Dunning["candidates"] = [];
    let cursor: string | undefined;
    do {
      const page: Dunning = await f.ask<Dunning>("dunning_candidates", {
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.candidates);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen.length).toBe(expected.size);
    for (const c of seen) {
      const e = expected.get(c.account_id);
      expect(c.overdue_minor).toBe(e?.overdue_minor);
      expect(c.stage).toBe(dunningStage(e?.oldest_days_overdue ?? 0));
    }
  });

  it("filters by stage and keeps the per-stage totals consistent", async () => {
    const all = await f.ask<Dunning>("dunning_candidates", {});
    const collections = await f.ask<Dunning>("dunning_candidates", { stage: "collections", limit: 20 });
    expect(collections.candidates.every((c) => c.oldest_days_overdue >= 61)).toBe(true);
    expect(collections.totals.accounts).toBe(all.by_stage.find((s) => s.stage === "collections")?.accounts);
    expect(all.by_stage.reduce((n, s) => n + s.accounts, 0)).toBe(all.totals.accounts);
  });
});

describe("dunningStage", () => {
  it("escalates at 15, 31 and 61 days", () => {
    expect([1, 14, 15, 30, 31, 60, 61, 400].map(dunningStage)).toEqual([
      "reminder",
      "reminder",
      "second_notice",
      "second_notice",
      "final_notice",
      "final_notice",
      "collections",
      "collections",
    ]);
  });
});

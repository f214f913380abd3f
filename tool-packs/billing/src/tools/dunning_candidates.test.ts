import { RATES_PER_USD } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dunningStage } from "../dunning.js";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";
import { overdueByAccount, usdTotal } from "../testing/world-facts.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Dunning = {
  totals: { accounts: number; overdue_usd_minor: number };
  by_stage: Array<{ stage: string; accounts: number; overdue_usd_minor: number }>;
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

describe("dunning_candidates at any cut-off", () => {
  it("pages and totals every stage as a from-scratch computation does, for any minimum days and amount", async () => {
    for (const args of [
      { min_days_overdue: 1 },
      { min_days_overdue: 20, stage: "second_notice" },
      { min_days_overdue: 45, stage: "collections" },
      { min_days_overdue: 3, stage: "reminder" },
      { min_days_overdue: 30, min_overdue_usd_minor: 100_000 },
    ] as const) {
      const minUsd = ("min_overdue_usd_minor" in args ? args.min_overdue_usd_minor : undefined) ?? 0;
      const stage = "stage" in args ? args.stage : undefined;
      const expected = [...overdueByAccount(f.world, args.min_days_overdue)]
        .map(([account_id, e]) => ({ account_id, ...e, usd: e.overdue_minor / RATES_PER_USD[e.currency] }))
        .filter((e) => e.usd >= minUsd)
        .filter((e) => stage === undefined || dunningStage(e.oldest_days_overdue) === stage)
        .sort((a, b) => b.usd - a.usd || (a.account_id < b.account_id ? -1 : 1));
      const seen: Dunning["candidates"] = [];
      let first: Dunning | undefined;
      let cursor: string | undefined;
      do {
        const page: Dunning = await f.ask<Dunning>("dunning_candidates", {
          ...args,
          limit: 4,
          ...(cursor ? { cursor } : {}),
        });
        first ??= page;
        seen.push(...page.candidates);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      expect(
        seen.map((c) => c.account_id),
        JSON.stringify(args),
      ).toEqual(expected.map((e) => e.account_id));
      expect(seen.map((c) => c.overdue_minor)).toEqual(expected.map((e) => e.overdue_minor));
      expect(first?.totals).toEqual({
        accounts: expected.length,
        overdue_usd_minor: usdTotal(expected, (e) => e.overdue_minor),
      });
      for (const s of first?.by_stage ?? []) {
        const rows = expected.filter((e) => dunningStage(e.oldest_days_overdue) === s.stage);
        expect(s, JSON.stringify(args)).toEqual({
          stage: s.stage,
          accounts: rows.length,
          overdue_usd_minor: usdTotal(rows, (e) => e.overdue_minor),
        });
      }
    }
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

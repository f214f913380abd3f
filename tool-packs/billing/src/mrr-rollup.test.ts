import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { movementsUpTo } from "./mrr-rollup.js";
import { pack } from "./pack.js";
import {
  currencies,
  delta,
  insertEvent,
  MRR_EVENT_KEY,
  moves,
  mrrEventOps,
  mrrEventWrite,
} from "./testing/mrr-event-ops.js";

describe(`the MRR movement rollup on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    await store.batch([
      {
        sql: "INSERT INTO billing_accounts (id, name, country, currency, payment_terms_days) VALUES ('A-1', 'One', 'US', 'USD', 30)",
      },
      {
        sql: "INSERT INTO billing_plans (id, name, interval, price_minor, currency) VALUES ('P-1', 'Plan', 'month', 100, 'USD')",
      },
      ...[1, 2, 3, 4].map((n) => ({
        sql: `INSERT INTO billing_subscriptions (id, account_id, plan_id, status, seats, price_minor, currency, started_on)
              VALUES (?, 'A-1', 'P-1', 'active', 1, 100, 'USD', '2026-01-01')`,
        params: [`SUB-${n}`],
      })),
    ]);
  });
  afterAll(async () => {
    await store?.close();
  });

  it("equals a from-scratch recomputation after any sequence of inserts, edits, deletes and rolled-back batches", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "billing_mrr_events",
      idColumn: MRR_EVENT_KEY,
      ops: mrrEventOps,
      write: mrrEventWrite,
      rollup:
        "SELECT currency, kind, month, events, delta_minor FROM billing_mrr_months ORDER BY currency, kind, month",
      recompute: `SELECT currency, kind, substr(effective_on, 1, 7) AS month, COUNT(*) AS events, SUM(delta_minor) AS delta_minor
        FROM billing_mrr_events GROUP BY currency, kind, substr(effective_on, 1, 7) ORDER BY currency, kind, month`,
    });
  });

  it("adds up the movements up to any day (a month's last day, mid-month) as the movements do", async () => {
    const day = fc
      .integer({ min: 0, max: 90 })
      .map((n) => new Date(Date.UTC(2026, 0, 25 + n)).toISOString().slice(0, 10));
    const events = fc.array(
      fc.record({
        kind: fc.constant("insert" as const),
        sub: fc.integer({ min: 1, max: 4 }),
        on: day,
        move: moves,
        delta,
        currency: currencies,
      }),
      { maxLength: 30 },
    );
    await fc.assert(
      fc.asyncProperty(events, day, async (inserts, upTo) => {
        await store.run("DELETE FROM billing_mrr_events");
        for (const o of inserts) await store.run(insertEvent(o).sql, insertEvent(o).params);
        const rollup = movementsUpTo(upTo);
        expect(
          await store.all(
            `SELECT currency, kind, SUM(events) AS events, SUM(delta_minor) AS delta FROM (${rollup.sql}) m
             GROUP BY currency, kind ORDER BY currency, kind`,
            rollup.params,
          ),
        ).toEqual(
          await store.all(
            `SELECT currency, kind, COUNT(*) AS events, SUM(delta_minor) AS delta FROM billing_mrr_events
             WHERE effective_on <= ? GROUP BY currency, kind ORDER BY currency, kind`,
            [upTo],
          ),
        );
      }),
      { numRuns: 40 },
    );
  });
});

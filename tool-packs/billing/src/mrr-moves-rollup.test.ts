import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { movementsBetween, REPEATS_BETWEEN_SQL } from "./mrr-moves-rollup.js";
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

describe(`mrr_summary's movement rollups on ${testStoreDialect()}`, () => {
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

  const common = () => ({
    store,
    source: "billing_mrr_events",
    idColumn: MRR_EVENT_KEY,
    ops: mrrEventOps,
    write: mrrEventWrite,
  });

  it("keeps the sizes per currency, kind and month equal to a recomputation after any writes", async () => {
    await checkRollupMatchesRecomputation({
      ...common(),
      rollup:
        "SELECT currency, kind, month, events, moved_minor FROM billing_mrr_month_moves ORDER BY 1, 2, 3",
      recompute: `SELECT currency, kind, substr(effective_on, 1, 7) AS month, COUNT(*) AS events, SUM(ABS(delta_minor)) AS moved_minor
        FROM billing_mrr_events GROUP BY currency, kind, substr(effective_on, 1, 7) ORDER BY 1, 2, 3`,
    });
  });

  it("keeps each repeat with the day of its previous movement of the same subscription, kind and currency", async () => {
    await checkRollupMatchesRecomputation({
      ...common(),
      rollup:
        "SELECT subscription_id, effective_on, kind, currency, prev_on FROM billing_mrr_repeats ORDER BY 1, 2",
      recompute: `SELECT * FROM (SELECT e.subscription_id, e.effective_on, e.kind, e.currency,
          (SELECT MAX(p.effective_on) FROM billing_mrr_events p WHERE p.subscription_id = e.subscription_id
            AND p.kind = e.kind AND p.currency = e.currency AND p.effective_on < e.effective_on) AS prev_on
        FROM billing_mrr_events e) r WHERE prev_on IS NOT NULL ORDER BY 1, 2`,
    });
  });

  it("gives any period's sizes, movements and distinct subscriptions per currency and kind as the movements do", async () => {
    // Few days and subscriptions, so movements repeat and fall on the period's edges.
    const day = fc
      .integer({ min: 0, max: 45 })
      .map((n) => new Date(Date.UTC(2026, 0, 25 + n)).toISOString().slice(0, 10));
    const events = fc.array(
      fc.record({
        kind: fc.constant("insert" as const),
        sub: fc.integer({ min: 1, max: 2 }),
        on: day,
        move: moves,
        delta,
        currency: currencies,
      }),
      { maxLength: 30 },
    );
    await fc.assert(
      fc.asyncProperty(events, day, day, async (inserts, a, b) => {
        const [opening, closing] = a < b ? [a, b] : [b, a];
        await store.run("DELETE FROM billing_mrr_events");
        for (const o of inserts) await store.run(insertEvent(o).sql, insertEvent(o).params);
        const between = movementsBetween(opening, closing);
        const sized = await store.all<{ currency: string; kind: string; amount: number; events: number }>(
          `SELECT currency, kind, SUM(moved_minor) AS amount, SUM(events) AS events FROM (${between.sql}) m
           GROUP BY currency, kind ORDER BY currency, kind`,
          between.params,
        );
        const repeats = await store.all<{ currency: string; kind: string; repeats: number }>(
          REPEATS_BETWEEN_SQL,
          [opening, closing, opening],
        );
        const fromRollups = sized.map((m) => ({
          ...m,
          subscriptions:
            m.events - (repeats.find((r) => r.currency === m.currency && r.kind === m.kind)?.repeats ?? 0),
        }));
        expect(fromRollups).toEqual(
          await store.all(
            `SELECT currency, kind, SUM(ABS(delta_minor)) AS amount, COUNT(*) AS events,
               COUNT(DISTINCT subscription_id) AS subscriptions FROM billing_mrr_events
             WHERE effective_on > ? AND effective_on <= ? GROUP BY currency, kind ORDER BY currency, kind`,
            [opening, closing],
          ),
        );
      }),
      { numRuns: 100 },
    );
  });
});

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

// Every write path (subscription writes, seeding, import, sync, removals) ends in these row
// operations on billing_mrr_events; the rollup must equal a from-scratch GROUP BY of the
// movements by currency, kind and month after every sequence of them.
type Op =
  | { kind: "insert"; sub: number; on: string; move: string; delta: number; currency: string }
  | {
      kind: "set";
      pick: number;
      column: "kind" | "delta_minor" | "currency" | "effective_on";
      value: string | number;
    }
  | { kind: "delete"; pick: number };

const KEY = "subscription_id || '|' || effective_on";
const moves = fc.constantFrom("new", "expansion", "contraction", "churn");
const currencies = fc.constantFrom("USD", "EUR", "GBP");
const delta = fc.integer({ min: -50_000, max: 50_000 });
// Days around month ends, so movements change months.
const on = fc.constantFrom(
  "2026-01-31",
  "2026-02-01",
  "2026-02-14",
  "2026-02-28",
  "2026-03-01",
  "2026-03-31",
);
const pick = fc.nat(1_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    sub: fc.integer({ min: 1, max: 4 }),
    on,
    move: moves,
    delta,
    currency: currencies,
  }),
  fc.record({ kind: fc.constant("set" as const), pick, column: fc.constant("kind" as const), value: moves }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("delta_minor" as const),
    value: delta,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("currency" as const),
    value: currencies,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("effective_on" as const),
    value: on,
  }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
);

// A clash on (subscription, day) writes nothing, which the rollup must also survive.
const insertEvent = (o: Extract<Op, { kind: "insert" }>) => ({
  sql: `INSERT INTO billing_mrr_events (subscription_id, effective_on, account_id, kind, delta_minor, mrr_minor, currency)
        VALUES (?, ?, 'A-1', ?, ?, 0, ?) ON CONFLICT DO NOTHING`,
  params: [`SUB-${o.sub}`, o.on, o.move, o.delta, o.currency],
});

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
      idColumn: KEY,
      ops: op,
      write: (o, rows) => {
        if (o.kind === "insert") return [insertEvent(o)];
        const id = rows.pick(o.pick);
        if (id === undefined) return [];
        if (o.kind === "delete")
          return [{ sql: `DELETE FROM billing_mrr_events WHERE ${KEY} = ?`, params: [id] }];
        // A moved day may clash with the subscription's other movement: then nothing is written.
        const clash =
          o.column === "effective_on"
            ? ` AND NOT EXISTS (SELECT 1 FROM billing_mrr_events x
          WHERE x.subscription_id = billing_mrr_events.subscription_id AND x.effective_on = ?)`
            : "";
        return [
          {
            sql: `UPDATE billing_mrr_events SET ${o.column} = ? WHERE ${KEY} = ?${clash}`,
            params: [o.value, id, ...(clash ? [o.value] : [])],
          },
        ];
      },
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

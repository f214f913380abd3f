import { migratePack, type Statement, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  type RollupRows,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";

// Every write path (seeding, imports, sync, removals) ends in these row operations on
// subscriptions and their MRR movements; the kept MRR and the totals must equal a from-scratch
// computation after any sequence of them.
type Op =
  | {
      kind: "subscribe";
      status: string;
      currency: string;
      started: number;
      cancelled: number | null;
      seats: number;
    }
  | { kind: "edit"; near: number; status: string; cancelled: number | null; currency: string }
  | { kind: "unsubscribe"; near: number }
  | { kind: "move"; near: number; on: number; move: string; mrr: number }
  | { kind: "reprice"; pick: number; mrr: number; move: string }
  | { kind: "redate"; pick: number; on: number }
  | { kind: "unmove"; pick: number };

const day = (d: number) => `2026-0${d}-01`;
const statuses = fc.constantFrom("active", "cancelled", "trialing", "paused");
const currencies = fc.constantFrom("USD", "EUR");
const moves = fc.constantFrom("new", "expansion", "contraction", "churn");
const on = fc.integer({ min: 1, max: 6 });
const near = fc.nat(9);
const pick = fc.nat(1_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("subscribe" as const),
    status: statuses,
    currency: currencies,
    started: on,
    cancelled: fc.option(on, { nil: null }),
    seats: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    kind: fc.constant("edit" as const),
    near,
    status: statuses,
    cancelled: fc.option(on, { nil: null }),
    currency: currencies,
  }),
  fc.record({ kind: fc.constant("unsubscribe" as const), near }),
  fc.record({ kind: fc.constant("move" as const), near, on, move: moves, mrr: fc.nat(100_000) }),
  fc.record({ kind: fc.constant("move" as const), near, on, move: moves, mrr: fc.nat(100_000) }),
  fc.record({ kind: fc.constant("reprice" as const), pick, mrr: fc.nat(100_000), move: moves }),
  fc.record({ kind: fc.constant("redate" as const), pick, on }),
  fc.record({ kind: fc.constant("unmove" as const), pick }),
);

// A subscription near `n`: the first existing id from SUB-n on (none past the last).
const NEAR = "(SELECT MIN(id) FROM billing_subscriptions WHERE id >= ?)";
const nearId = (n: number) => `SUB-${n}`;

function write(o: Op, rows: RollupRows): Statement[] {
  switch (o.kind) {
    case "subscribe":
      return [
        {
          sql: `INSERT INTO billing_subscriptions (id, account_id, plan_id, status, seats, price_minor, currency, started_on, cancelled_on)
                VALUES (?, 'A-1', 'P-1', ?, ?, 1000, ?, ?, ?)`,
          params: [
            nearId(rows.fresh() % 10),
            o.status,
            o.seats,
            o.currency,
            day(o.started),
            o.cancelled === null ? null : day(o.cancelled),
          ],
        },
      ].map((s) => ({ ...s, sql: `${s.sql} ON CONFLICT (id) DO NOTHING` }));
    case "edit":
      return [
        {
          sql: `UPDATE billing_subscriptions SET status = ?, cancelled_on = ?, currency = ? WHERE id = ${NEAR}`,
          params: [o.status, o.cancelled === null ? null : day(o.cancelled), o.currency, nearId(o.near)],
        },
      ];
    case "unsubscribe":
      return [
        { sql: `DELETE FROM billing_mrr_events WHERE subscription_id = ${NEAR}`, params: [nearId(o.near)] },
        { sql: `DELETE FROM billing_subscriptions WHERE id = ${NEAR}`, params: [nearId(o.near)] },
      ];
    case "move":
      return [
        {
          sql: `INSERT INTO billing_mrr_events (subscription_id, effective_on, account_id, kind, delta_minor, mrr_minor, currency)
                SELECT id, ?, account_id, ?, 0, ?, currency FROM billing_subscriptions WHERE id = ${NEAR}
                ON CONFLICT (subscription_id, effective_on) DO NOTHING`,
          params: [day(o.on), o.move, o.mrr, nearId(o.near)],
        },
      ];
  }
  const sub = rows.pick(o.pick);
  if (sub === undefined) return [];
  // The subscription's first movement (its only one, often).
  const first = "(SELECT MIN(effective_on) FROM billing_mrr_events WHERE subscription_id = ?)";
  switch (o.kind) {
    case "reprice":
      return [
        {
          sql: `UPDATE billing_mrr_events SET mrr_minor = ?, kind = ? WHERE subscription_id = ? AND effective_on = ${first}`,
          params: [o.mrr, o.move, sub, sub],
        },
      ];
    case "redate":
      return [
        {
          sql: `UPDATE billing_mrr_events SET effective_on = ? WHERE subscription_id = ? AND effective_on = ${first}
                AND NOT EXISTS (SELECT 1 FROM billing_mrr_events x WHERE x.subscription_id = ? AND x.effective_on = ?)`,
          params: [day(o.on), sub, sub, sub, day(o.on)],
        },
      ];
    case "unmove":
      return [
        {
          sql: `DELETE FROM billing_mrr_events WHERE subscription_id = ? AND effective_on = ${first}`,
          params: [sub, sub],
        },
      ];
  }
}

const latest = (column: string) => `(SELECT e.${column} FROM billing_mrr_events e
  WHERE e.subscription_id = s.id AND e.kind <> 'churn' ORDER BY e.effective_on DESC LIMIT 1)`;
const RECOMPUTED = `SELECT s.id, s.account_id, s.plan_id, s.status, s.seats, s.currency, s.started_on, s.cancelled_on,
  COALESCE(${latest("mrr_minor")}, 0) AS mrr_minor, ${latest("effective_on")} AS mrr_on FROM billing_subscriptions s`;

describe(`the kept subscription MRR and its totals on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    // Each run starts by deleting every subscription while movements stay behind: let the
    // foreign key allow it, so orphaned movements meet a new subscription that takes their id.
    await store.run(
      testStoreDialect() === "postgres"
        ? "ALTER TABLE billing_mrr_events DROP CONSTRAINT billing_mrr_events_subscription_id_fkey"
        : "PRAGMA foreign_keys = OFF",
    );
    await store.batch([
      {
        sql: "INSERT INTO billing_accounts (id, name, country, currency, payment_terms_days) VALUES ('A-1', 'One', 'US', 'USD', 30)",
      },
      {
        sql: "INSERT INTO billing_plans (id, name, interval, price_minor, currency) VALUES ('P-1', 'Plan', 'month', 1000, 'USD')",
      },
    ]);
  });
  afterAll(async () => {
    await store?.close();
  });

  const common = () => ({
    store,
    source: "billing_subscriptions",
    ops: op,
    write,
  });

  it("keeps each subscription's MRR equal to its latest movement that is not its churn, after any writes", async () => {
    await checkRollupMatchesRecomputation({
      ...common(),
      rollup: `SELECT id, account_id, plan_id, status, seats, currency, started_on, cancelled_on, mrr_minor, mrr_on
        FROM billing_subscription_mrr ORDER BY id`,
      recompute: `${RECOMPUTED} ORDER BY s.id`,
    });
  });

  it("keeps the totals per currency, status, start and cancellation day equal to a recomputation", async () => {
    await checkRollupMatchesRecomputation({
      ...common(),
      rollup: `SELECT currency, status, started_on, cancelled_on, subscriptions, mrr_minor FROM billing_subscription_totals
        ORDER BY currency, status, started_on, cancelled_on`,
      recompute: `SELECT currency, status, started_on, COALESCE(cancelled_on, '') AS cancelled_on, COUNT(*) AS subscriptions,
          SUM(mrr_minor) AS mrr_minor FROM (${RECOMPUTED}) k
        GROUP BY currency, status, started_on, COALESCE(cancelled_on, '') ORDER BY 1, 2, 3, 4`,
    });
  });

  it("is filled from the subscriptions and movements already there when the migration runs", async () => {
    const fresh = await openTestStore();
    try {
      await migratePack(fresh, { ...pack, migrations: pack.migrations.filter((m) => m.id < "0010") });
      await fresh.batch([
        {
          sql: "INSERT INTO billing_accounts (id, name, country, currency, payment_terms_days) VALUES ('A-1', 'One', 'US', 'USD', 30)",
        },
        {
          sql: "INSERT INTO billing_plans (id, name, interval, price_minor, currency) VALUES ('P-1', 'Plan', 'month', 1000, 'USD')",
        },
        {
          sql: `INSERT INTO billing_subscriptions (id, account_id, plan_id, status, seats, price_minor, currency, started_on, cancelled_on)
                VALUES ('S-1', 'A-1', 'P-1', 'cancelled', 1, 1000, 'USD', '2026-01-01', '2026-03-01'),
                       ('S-2', 'A-1', 'P-1', 'trialing', 1, 1000, 'USD', '2026-02-01', NULL)`,
        },
        {
          sql: `INSERT INTO billing_mrr_events (subscription_id, effective_on, account_id, kind, delta_minor, mrr_minor, currency)
                VALUES ('S-1', '2026-01-01', 'A-1', 'new', 1000, 1000, 'USD'), ('S-1', '2026-03-01', 'A-1', 'churn', -1000, 0, 'USD')`,
        },
      ]);
      await migratePack(fresh, pack);
      expect(
        await fresh.all(
          "SELECT currency, status, cancelled_on, subscriptions, mrr_minor FROM billing_subscription_totals ORDER BY status",
        ),
      ).toEqual([
        {
          currency: "USD",
          status: "cancelled",
          cancelled_on: "2026-03-01",
          subscriptions: 1,
          mrr_minor: 1000,
        },
        { currency: "USD", status: "trialing", cancelled_on: "", subscriptions: 1, mrr_minor: 0 },
      ]);
    } finally {
      await fresh.close();
    }
  });
});

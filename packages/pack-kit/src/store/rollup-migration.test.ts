import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRollupMatchesRecomputation } from "../testing/rollup-property.js";
import { openTestStore, testStoreDialect } from "../testing/test-store.js";
import { rollupMigration } from "./rollup-migration.js";
import type { Store } from "./types.js";

// A toy ledger: open lines per (account, currency), with a count and two sums.
const SOURCE = `CREATE TABLE lines (id TEXT PRIMARY KEY, account TEXT NOT NULL, currency TEXT NOT NULL,
  amount INTEGER NOT NULL, fee INTEGER NOT NULL, open INTEGER NOT NULL)`;

const migration = (prune: boolean) =>
  rollupMigration({
    id: "0002_open_lines",
    table: "open_lines",
    source: "lines",
    triggers: "open_lines",
    create: `CREATE TABLE open_lines (account TEXT NOT NULL, currency TEXT NOT NULL, lines INTEGER NOT NULL,
  amount INTEGER NOT NULL, fee INTEGER NOT NULL, PRIMARY KEY (account, currency)) WITHOUT ROWID`,
    fill: `INSERT INTO open_lines (account, currency, lines, amount, fee)
  SELECT account, currency, COUNT(*), SUM(amount), SUM(fee) FROM lines WHERE open = 1 GROUP BY account, currency`,
    keys: ["account", "currency"],
    count: "lines",
    sums: { amount: (r) => `${r}.amount`, fee: (r) => `${r}.fee` },
    when: (r) => `${r}.open = 1`,
    watch: ["account", "currency", "amount", "fee", "open"],
    prune,
  });

type Op =
  | { kind: "insert"; account: string; currency: string; amount: number; open: boolean }
  | {
      kind: "set";
      pick: number;
      column: "account" | "currency" | "amount" | "fee" | "open";
      value: string | number;
    }
  | { kind: "delete"; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    account: fc.constantFrom("a", "b"),
    currency: fc.constantFrom("USD", "EUR"),
    amount: fc.integer({ min: -1000, max: 1000 }),
    open: fc.boolean(),
  }),
  fc.oneof(
    fc.record({
      kind: fc.constant("set" as const),
      pick: fc.nat(),
      column: fc.constant("account" as const),
      value: fc.constantFrom("a", "b"),
    }),
    fc.record({
      kind: fc.constant("set" as const),
      pick: fc.nat(),
      column: fc.constant("currency" as const),
      value: fc.constantFrom("USD", "EUR"),
    }),
    fc.record({
      kind: fc.constant("set" as const),
      pick: fc.nat(),
      column: fc.constantFrom("amount" as const, "fee" as const),
      value: fc.integer({ min: -1000, max: 1000 }),
    }),
    fc.record({
      kind: fc.constant("set" as const),
      pick: fc.nat(),
      column: fc.constant("open" as const),
      value: fc.constantFrom(0, 1),
    }),
  ),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
);

describe(`rollupMigration on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  for (const prune of [true, false]) {
    it(`keeps the rollup equal to a recomputation over random writes and rolled-back batches (prune: ${prune})`, async () => {
      await store.run("DROP TABLE IF EXISTS open_lines");
      await store.run("DROP TABLE IF EXISTS lines");
      if (store.dialect === "postgres") await store.run("DROP FUNCTION IF EXISTS open_lines_track()");
      await store.run(SOURCE);
      await store.run("INSERT INTO lines VALUES ('seeded', 'a', 'USD', 5, 1, 1)");
      const m = migration(prune);
      await store.batch((store.dialect === "postgres" ? m.postgres! : m.statements).map((sql) => ({ sql })));
      // The fill took the row that was there before the migration.
      expect(await store.all("SELECT account, currency, lines, amount, fee FROM open_lines")).toEqual([
        { account: "a", currency: "USD", lines: 1, amount: 5, fee: 1 },
      ]);
      await checkRollupMatchesRecomputation({
        store,
        source: "lines",
        ops: op,
        write: (o, rows) => {
          if (o.kind === "insert")
            return [
              {
                sql: "INSERT INTO lines (id, account, currency, amount, fee, open) VALUES (?, ?, ?, ?, 0, ?)",
                params: [`L-${rows.fresh()}`, o.account, o.currency, o.amount, o.open ? 1 : 0],
              },
            ];
          const id = rows.pick(o.pick);
          if (id === undefined) return [];
          if (o.kind === "delete") return [{ sql: "DELETE FROM lines WHERE id = ?", params: [id] }];
          return [{ sql: `UPDATE lines SET ${o.column} = ? WHERE id = ?`, params: [o.value, id] }];
        },
        rollup:
          "SELECT account, currency, lines, amount, fee FROM open_lines WHERE lines <> 0 ORDER BY account, currency",
        recompute: `SELECT account, currency, COUNT(*) AS lines, SUM(amount) AS amount, SUM(fee) AS fee FROM lines
          WHERE open = 1 GROUP BY account, currency ORDER BY account, currency`,
      });
      // Pruned: no group at zero is left behind; unpruned: left groups stay as zeros.
      const zeros = await store.all("SELECT account FROM open_lines WHERE lines = 0");
      if (prune) expect(zeros).toEqual([]);
    });
  }
});

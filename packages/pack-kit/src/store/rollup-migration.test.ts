import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRollupMatchesRecomputation } from "../testing/rollup-property.js";
import { openTestStore, testStoreDialect } from "../testing/test-store.js";
import { type RollupSpec, rollupMigration } from "./rollup-migration.js";
import { statementRollupTriggersMigration } from "./rollup-statement-triggers.js";
import type { Store } from "./types.js";

// A toy ledger: open lines per (account, currency), with a count and two sums.
const SOURCE = `CREATE TABLE lines (id TEXT PRIMARY KEY, account TEXT NOT NULL, currency TEXT NOT NULL,
  amount INTEGER NOT NULL, fee INTEGER NOT NULL, open INTEGER NOT NULL)`;

const spec = (prune: boolean): RollupSpec => ({
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
const migration = (prune: boolean) => rollupMigration(spec(prune));

type Op =
  | { kind: "insert"; account: string; currency: string; amount: number; open: boolean }
  | {
      kind: "set";
      pick: number;
      column: "account" | "currency" | "amount" | "fee" | "open";
      value: string | number;
    }
  | { kind: "delete"; pick: number }
  // Statements over many rows, which a per-statement trigger sees at once.
  | { kind: "insertMany"; account: string; amounts: number[] }
  | { kind: "toggleAccount"; account: string }
  | { kind: "moveCurrency"; from: string; to: string }
  | { kind: "deleteSmall"; below: number };

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

const manyRowOp: fc.Arbitrary<Op> = fc.oneof(
  op,
  fc.record({
    kind: fc.constant("insertMany" as const),
    account: fc.constantFrom("a", "b"),
    amounts: fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant("toggleAccount" as const), account: fc.constantFrom("a", "b") }),
  fc.record({
    kind: fc.constant("moveCurrency" as const),
    from: fc.constantFrom("USD", "EUR"),
    to: fc.constantFrom("USD", "EUR"),
  }),
  fc.record({ kind: fc.constant("deleteSmall" as const), below: fc.integer({ min: -1000, max: 1000 }) }),
);

describe(`rollupMigration on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  const modes = [
    { prune: true, perStatement: false },
    { prune: false, perStatement: false },
    { prune: true, perStatement: true },
    { prune: false, perStatement: true },
  ];
  for (const { prune, perStatement } of modes) {
    it(`keeps the rollup equal to a recomputation over random writes and rolled-back batches (prune: ${prune}${perStatement ? ", Postgres triggers per statement, writes of many rows" : ""})`, async () => {
      await store.run("DROP TABLE IF EXISTS open_lines");
      await store.run("DROP TABLE IF EXISTS lines");
      if (store.dialect === "postgres") {
        await store.run("DROP FUNCTION IF EXISTS open_lines_track()");
        for (const event of ["insert", "delete", "update"])
          await store.run(`DROP FUNCTION IF EXISTS open_lines_track_${event}()`);
      }
      await store.run(SOURCE);
      await store.run("INSERT INTO lines VALUES ('seeded', 'a', 'USD', 5, 1, 1)");
      const applied = [
        migration(prune),
        ...(perStatement ? [statementRollupTriggersMigration("0003", [spec(prune)])] : []),
      ];
      for (const m of applied)
        await store.batch(
          (store.dialect === "postgres" ? (m.postgres ?? m.statements) : m.statements).map((sql) => ({
            sql,
          })),
        );
      // The fill took the row that was there before the migration.
      expect(await store.all("SELECT account, currency, lines, amount, fee FROM open_lines")).toEqual([
        { account: "a", currency: "USD", lines: 1, amount: 5, fee: 1 },
      ]);
      await checkRollupMatchesRecomputation({
        store,
        source: "lines",
        ops: perStatement ? manyRowOp : op,
        write: (o, rows) => {
          if (o.kind === "insert")
            return [
              {
                sql: "INSERT INTO lines (id, account, currency, amount, fee, open) VALUES (?, ?, ?, ?, 0, ?)",
                params: [`L-${rows.fresh()}`, o.account, o.currency, o.amount, o.open ? 1 : 0],
              },
            ];
          if (o.kind === "insertMany")
            return [
              {
                sql: `INSERT INTO lines (id, account, currency, amount, fee, open) VALUES ${o.amounts.map(() => "(?, ?, 'USD', ?, 1, 1)").join(", ")}`,
                params: o.amounts.flatMap((amount) => [`L-${rows.fresh()}`, o.account, amount]),
              },
            ];
          if (o.kind === "toggleAccount")
            return [{ sql: "UPDATE lines SET open = 1 - open WHERE account = ?", params: [o.account] }];
          if (o.kind === "moveCurrency")
            return [
              {
                sql: "UPDATE lines SET currency = ?, fee = fee + 1 WHERE currency = ?",
                params: [o.to, o.from],
              },
            ];
          if (o.kind === "deleteSmall")
            return [{ sql: "DELETE FROM lines WHERE amount < ?", params: [o.below] }];
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

  it("on Postgres replaces the row triggers by per-statement ones; SQLite keeps its row triggers", () => {
    const m = statementRollupTriggersMigration("0003", [spec(true)]);
    expect(m.statements).toEqual([]);
    expect(m.postgres?.filter((sql) => sql.includes("FOR EACH STATEMENT"))).toHaveLength(3);
    expect(m.postgres).toContain("DROP FUNCTION open_lines_track()");
  });
});

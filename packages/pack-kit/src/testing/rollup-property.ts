import fc from "fast-check";
import { expect } from "vitest";
import type { Statement, Store } from "../store/types.js";

/** What a write may touch: existing rows of the source table, or a new one. */
export interface RollupRows {
  /** An existing row's id, chosen by `n` (any natural number), or undefined when the table is empty. */
  pick(n: number): string | undefined;
  /** A number never handed out before in this test, for a new row's id. */
  fresh(): number;
}

/** How `checkRollupMatchesRecomputation` drives one rollup. */
export interface RollupPropertyOptions<Op> {
  /** A store with the pack migrated (and the parent rows the source needs). */
  store: Store;
  /** The table the rollup is kept from; each run starts by deleting all its rows. */
  source: string;
  /** Its key column (default `id`), read in order to give `RollupRows.pick` its rows. */
  idColumn?: string;
  /** One random write to the source: an insert, an edit of a picked row, a delete. */
  ops: fc.Arbitrary<Op>;
  /** The statements of `op`; an empty list skips it (e.g. an edit while the table is empty). */
  write: (op: Op, rows: RollupRows) => Statement[];
  /** SELECT of the rollup's live groups, in a fixed order (skip `count = 0` rows if it keeps them). */
  rollup: string;
  /** The same columns and order, computed from scratch from the source. */
  recompute: string;
  /** fast-check runs (default 30) and writes per run (default 25). */
  runs?: number;
  maxWrites?: number;
}

/** A step: one write, several committed together, or several rolled back by a failing statement. */
type Step<Op> = { one: Op } | { together: Op[] } | { rolledBack: Op[] };

/**
 * The property every rollup kept by triggers must have: after any sequence of random writes to
 * its source (single statements, batches committed together, batches that fail and roll back),
 * the rollup equals a from-scratch recomputation, and a rolled-back batch leaves it exactly as it
 * was. Run it on each dialect (`openTestStore` picks SQLite or Postgres by vitest project).
 */
export async function checkRollupMatchesRecomputation<Op>(options: RollupPropertyOptions<Op>): Promise<void> {
  const { store, source } = options;
  const idColumn = options.idColumn ?? "id";
  let counter = 0;
  const rowsNow = async (): Promise<RollupRows> => {
    const ids = (
      await store.all<{ id: string }>(`SELECT ${idColumn} AS id FROM ${source} ORDER BY ${idColumn}`)
    ).map((r) => r.id);
    return { pick: (n) => (ids.length === 0 ? undefined : ids[n % ids.length]), fresh: () => ++counter };
  };
  const statementsOf = async (ops: Op[]): Promise<Statement[]> => {
    const rows = await rowsNow();
    return ops.flatMap((op) => options.write(op, rows));
  };
  const batch = fc.array(options.ops, { minLength: 1, maxLength: 4 });
  const step: fc.Arbitrary<Step<Op>> = fc.oneof(
    { weight: 6, arbitrary: options.ops.map((one) => ({ one })) },
    { weight: 1, arbitrary: batch.map((together) => ({ together })) },
    { weight: 1, arbitrary: batch.map((rolledBack) => ({ rolledBack })) },
  );
  const rollup = () => store.all(options.rollup);

  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: options.maxWrites ?? 25 }), async (steps) => {
      await store.run(`DELETE FROM ${source}`);
      expect(await rollup()).toEqual([]);
      for (const s of steps) {
        if ("one" in s) {
          for (const w of await statementsOf([s.one])) await store.run(w.sql, w.params);
        } else if ("together" in s) {
          const writes = await statementsOf(s.together);
          if (writes.length > 0) await store.batch(writes);
        } else {
          const before = await rollup();
          const writes = await statementsOf(s.rolledBack);
          await expect(
            store.batch([...writes, { sql: "SELECT no_such_column_rolls_back" }]),
          ).rejects.toThrow();
          expect(await rollup()).toEqual(before);
        }
      }
      // Exactly the live groups: none left over, none negative, none missing.
      expect(await rollup()).toEqual(await store.all(options.recompute));
    }),
    { numRuns: options.runs ?? 30 },
  );
}

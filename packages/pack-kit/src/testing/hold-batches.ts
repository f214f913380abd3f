import type { Store } from "../store/types.js";

/**
 * A view of `store` whose first `n` batches wait until all `n` are pending, so `n` racing calls
 * all plan before any commits: what D1 or several server instances allow, and what one
 * in-process node:sqlite store never shows by itself (each call plans and commits in one go).
 * Batches after the first `n` pass straight through, and so do all of them when `n` is 0. Give
 * `n` the exact number of racing calls that reach a write: with fewer, the held ones never run.
 * Throws a RangeError when `n` is not a whole number of 0 or more.
 */
export function holdBatches(store: Store, n: number): Store {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`holdBatches: n must be a whole number of 0 or more (the racing writes), got ${n}`);
  }
  let held = 0;
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  if (n === 0) release();
  // Methods are forwarded, not spread, so a store whose methods live on a prototype keeps them.
  return {
    dialect: store.dialect,
    all: (sql, params) => store.all(sql, params),
    first: (sql, params) => store.first(sql, params),
    run: (sql, params) => store.run(sql, params),
    close: () => store.close(),
    async batch(statements) {
      if (held < n && ++held === n) release();
      await gate;
      return store.batch(statements);
    },
  };
}

import type { SqlValue, Statement, Store } from "@toolpacks/pack-kit";
import { batches } from "@toolpacks/world";

/** How `insertRows` groups rows into statements and transactions. */
export interface InsertOptions {
  /** Upper bound of bound parameters per statement (D1 allows 100; SQLite 32766). Default 99. */
  maxParams?: number;
  /** Statements per atomic batch. Default 200. */
  statementsPerBatch?: number;
}

/**
 * Inserts a stream of rows with multi-row `INSERT ... VALUES (...), (...)` statements,
 * a bounded number per transaction, so memory stays flat and large seeds stay fast.
 * `columns` name both the row fields and the table columns.
 */
export async function insertRows<R extends object>(
  store: Store,
  table: string,
  columns: readonly (keyof R & string)[],
  rows: Iterable<R>,
  options: InsertOptions = {},
): Promise<number> {
  const perStatement = Math.max(1, Math.floor((options.maxParams ?? 99) / columns.length));
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  const head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
  const sqlFor = (n: number) => head + Array.from({ length: n }, () => placeholders).join(", ");
  const fullSql = sqlFor(perStatement);
  let inserted = 0;
  let pending: Statement[] = [];
  for (const group of batches(rows, perStatement)) {
    const params: SqlValue[] = [];
    for (const row of group)
      for (const c of columns) params.push((row as Record<string, SqlValue>)[c] ?? null);
    pending.push({ sql: group.length === perStatement ? fullSql : sqlFor(group.length), params });
    inserted += group.length;
    if (pending.length >= (options.statementsPerBatch ?? 200)) {
      await store.batch(pending);
      pending = [];
    }
  }
  if (pending.length > 0) await store.batch(pending);
  return inserted;
}

import type { SqlValue, Statement, Store } from "@toolpacks/pack-kit";

/** Largest number of bound parameters per statement: D1 allows 100, so the same seed runs there. */
const MAX_PARAMS = 99;
/** Statements per atomic batch: bounded memory, few transactions. */
const STATEMENTS_PER_BATCH = 200;

/**
 * Buffers rows for one table and writes them with multi-row `INSERT ... VALUES (...), (...)`
 * statements, a bounded number per transaction, so a seed streams any number of rows in flat
 * memory. Several writers can be fed from one pass over the world.
 */
export class TableWriter<R extends object> {
  readonly #store: Store;
  readonly #columns: readonly (keyof R & string)[];
  readonly #perStatement: number;
  readonly #head: string;
  readonly #placeholders: string;
  #rows: R[] = [];
  #statements: Statement[] = [];
  readonly #parent: { flush(): Promise<void> } | undefined;
  /** Rows written so far (after `flush`, all rows pushed). */
  written = 0;

  /** `parent`: a writer whose rows this table's foreign keys point at; it is flushed first. */
  constructor(
    store: Store,
    table: string,
    columns: readonly (keyof R & string)[],
    parent?: { flush(): Promise<void> },
  ) {
    this.#store = store;
    this.#parent = parent;
    this.#columns = columns;
    this.#perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    this.#head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
    this.#placeholders = `(${columns.map(() => "?").join(", ")})`;
  }

  /** Queues one row; writes a batch when enough rows are pending. */
  async push(row: R): Promise<void> {
    this.#rows.push(row);
    if (this.#rows.length === this.#perStatement) this.#toStatement();
    if (this.#statements.length >= STATEMENTS_PER_BATCH) await this.#write();
  }

  /** Writes every pending row (the parent's first). */
  async flush(): Promise<void> {
    await this.#parent?.flush();
    if (this.#rows.length > 0) this.#toStatement();
    if (this.#statements.length > 0) await this.#write();
  }

  #toStatement(): void {
    const params: SqlValue[] = [];
    for (const row of this.#rows) {
      for (const column of this.#columns) params.push((row as Record<string, SqlValue>)[column] ?? null);
    }
    const sql = this.#head + Array.from(this.#rows, () => this.#placeholders).join(", ");
    this.#statements.push({ sql, params });
    this.written += this.#rows.length;
    this.#rows = [];
  }

  async #write(): Promise<void> {
    await this.#parent?.flush();
    const statements = this.#statements;
    this.#statements = [];
    await this.#store.batch(statements);
  }
}

/** Writes every row of `rows` into `table`. Returns how many. */
export async function insertAll<R extends object>(
  store: Store,
  table: string,
  columns: readonly (keyof R & string)[],
  rows: Iterable<R>,
): Promise<number> {
  const writer = new TableWriter<R>(store, table, columns);
  for (const row of rows) await writer.push(row);
  await writer.flush();
  return writer.written;
}

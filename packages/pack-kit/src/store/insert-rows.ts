import { PackKitError } from "../errors.js";
import type { SqlDialect, SqlValue, Statement, Store } from "./types.js";

/** How `insertRows` and `TableWriter` group rows into statements and atomic batches. */
export interface InsertRowsOptions {
  /**
   * Upper bound of bound parameters per statement. Default 99, so a seed written for Node also
   * runs on D1 (at most 100 per statement); SQLite itself allows 32,766. A table with more
   * columns than this still gets one row per statement (which D1 would then refuse).
   */
  maxParams?: number;
  /** Statements per `store.batch` (one transaction each). Default 200: flat memory, few commits. */
  statementsPerBatch?: number;
}

/**
 * The most bound parameters one statement may carry on `dialect` when the caller wants few large
 * statements: Postgres counts parameters in 16 bits (65,535 at most) and is given 30,000 (a
 * statement of that size already costs one round trip per ~2,000 rows, larger ones save little);
 * SQLite keeps 99 because the same dialect name covers D1, which refuses more than 100.
 */
export function maxParamsFor(dialect: SqlDialect): number {
  return dialect === "postgres" ? 30_000 : 99;
}

/**
 * `rows` (each a value per column, in `columns` order) as multi-row `INSERT ... VALUES (...),
 * (...)` statements, in order, none binding more than `maxParams` parameters (a table with more
 * columns than that still gets one row per statement). Throws `PackKitError` when a name is not a
 * plain identifier.
 */
export function multiRowInserts(
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  maxParams: number,
): Statement[] {
  checkNames(table, columns);
  const perStatement = Math.max(1, Math.floor(positive(maxParams, 99, "maxParams") / columns.length));
  const head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  const sqlFor = (n: number) => head + Array.from({ length: n }, () => placeholders).join(", ");
  const full = sqlFor(perStatement);
  const statements: Statement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const params: SqlValue[] = [];
    for (const row of chunk) for (const value of row) params.push(value);
    statements.push({ sql: chunk.length === perStatement ? full : sqlFor(chunk.length), params });
  }
  return statements;
}

/** Options of `TableWriter`. */
export interface TableWriterOptions extends InsertRowsOptions {
  /**
   * A writer whose rows this table's foreign keys point at: it is flushed before each of this
   * writer's batches, so parents always land first while several tables fill from one pass.
   */
  parent?: { flush(): Promise<void> };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkNames(table: string, columns: readonly string[]): void {
  // Names are spliced into the SQL text (they cannot be bound), so only plain identifiers pass.
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) {
      throw new PackKitError(
        "invalid_identifier",
        `Cannot insert into ${JSON.stringify(table)}: ${JSON.stringify(name)} is not a plain SQL identifier. Use letters, digits and underscores, not starting with a digit.`,
      );
    }
  }
  if (columns.length === 0) {
    throw new PackKitError(
      "invalid_columns",
      `Cannot insert into ${table}: no columns given. Name at least one.`,
    );
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1) {
    throw new PackKitError(
      "invalid_insert_options",
      `${name} must be a whole number of at least 1, not ${n}.`,
    );
  }
  return n;
}

/**
 * Buffers rows for one table and writes them with multi-row `INSERT ... VALUES (...), (...)`
 * statements, `statementsPerBatch` per atomic `store.batch`, so a seed streams any number of
 * rows in flat memory. Several writers can be fed from one pass over generated data; give a
 * child table its parent's writer so foreign keys hold. Call `flush` once at the end.
 * `columns` name both the row fields and the table columns; a missing field is written as NULL.
 */
export class TableWriter<R extends object> {
  /** Rows turned into statements so far (after `flush`: every row pushed). */
  written = 0;
  readonly #store: Store;
  readonly #columns: readonly (keyof R & string)[];
  readonly #perStatement: number;
  readonly #perBatch: number;
  readonly #head: string;
  readonly #placeholders: string;
  readonly #fullSql: string;
  readonly #parent: { flush(): Promise<void> } | undefined;
  #rows: R[] = [];
  #statements: Statement[] = [];

  /** Throws `PackKitError` when a name is not a plain identifier or an option is not a count. */
  constructor(
    store: Store,
    table: string,
    columns: readonly (keyof R & string)[],
    options: TableWriterOptions = {},
  ) {
    checkNames(table, columns);
    this.#store = store;
    this.#columns = columns;
    this.#parent = options.parent;
    this.#perStatement = Math.max(
      1,
      Math.floor(positive(options.maxParams, 99, "maxParams") / columns.length),
    );
    this.#perBatch = positive(options.statementsPerBatch, 200, "statementsPerBatch");
    this.#head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
    this.#placeholders = `(${columns.map(() => "?").join(", ")})`;
    this.#fullSql = this.#sqlFor(this.#perStatement);
  }

  /** Queues one row; writes a batch (after the parent's) once enough statements are pending. */
  async push(row: R): Promise<void> {
    this.#rows.push(row);
    if (this.#rows.length === this.#perStatement) this.#toStatement();
    if (this.#statements.length >= this.#perBatch) await this.#write();
  }

  /** Writes every pending row, the parent's first. Safe to call more than once. */
  async flush(): Promise<void> {
    await this.#parent?.flush();
    if (this.#rows.length > 0) this.#toStatement();
    if (this.#statements.length > 0) await this.#write();
  }

  #sqlFor(rows: number): string {
    return this.#head + Array.from({ length: rows }, () => this.#placeholders).join(", ");
  }

  #toStatement(): void {
    const params: SqlValue[] = [];
    for (const row of this.#rows) {
      for (const column of this.#columns) params.push((row as Record<string, SqlValue>)[column] ?? null);
    }
    const sql = this.#rows.length === this.#perStatement ? this.#fullSql : this.#sqlFor(this.#rows.length);
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

/**
 * Inserts a stream of rows (sync or async iterable) into `table` in bounded atomic batches and
 * returns how many. Each batch is all-or-nothing, the whole stream is not: a failure mid-stream
 * leaves the earlier batches in place, so seed an empty store and discard it when seeding fails.
 */
export async function insertRows<R extends object>(
  store: Store,
  table: string,
  columns: readonly (keyof R & string)[],
  rows: Iterable<R> | AsyncIterable<R>,
  options: InsertRowsOptions = {},
): Promise<number> {
  const writer = new TableWriter<R>(store, table, columns, options);
  if (Symbol.asyncIterator in rows) {
    for await (const row of rows) await writer.push(row);
  } else {
    for (const row of rows) await writer.push(row);
  }
  await writer.flush();
  return writer.written;
}

/** A value SQL can bind or return. Integers beyond 2^53 need `bigint`. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** A row as returned by the store: column name to value. */
export type Row = Record<string, SqlValue>;

/** The SQL a store speaks. */
export type SqlDialect = "sqlite" | "postgres";

/** One parameterised SQL statement. Parameters are positional (`?`). */
export interface Statement {
  sql: string;
  params?: readonly SqlValue[];
}

/** What a write statement did. */
export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/**
 * The small SQL seam every pack talks to. It is dialect-neutral except for the SQL text itself:
 * node:sqlite, D1 and Durable Object SQLite speak SQLite; the Postgres store (`openPostgresStore`,
 * pg) has `dialect: "postgres"`, rewrites `?` to `$n` and runs each read in a READ ONLY
 * transaction. Packs write the portable subset both accept (see the pack-kit README).
 *
 * All methods are async so the same pack code runs on synchronous embedded SQLite and on
 * remote databases (D1).
 */
export interface Store {
  /** Which SQL the store speaks; packs with dialect-specific SQL check it. */
  readonly dialect: SqlDialect;
  /** Runs a query and returns every row. For reads only: a store may refuse a statement that writes. */
  all<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a query and returns the first row, or `undefined` when there is none. */
  first<T extends object = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs one write statement. */
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /**
   * Runs statements atomically, in order: either all apply or none do (a transaction on
   * node:sqlite, `db.batch` on D1). Multi-row writes and idempotency records go through here.
   */
  batch(statements: readonly Statement[]): Promise<RunResult[]>;
  /** Closes the underlying connection; further calls fail. */
  close(): Promise<void>;
}

/** The read-only view a read tool's handler receives: it can query, not write. */
export type ReadStore = Pick<Store, "dialect" | "all" | "first">;

/** Wraps a store so only its read methods are reachable (writes are not even on the object). */
export function readOnlyView(store: Store): ReadStore {
  return {
    dialect: store.dialect,
    all: (sql, params) => store.all(sql, params),
    first: (sql, params) => store.first(sql, params),
  };
}

import type { RunResult, SqlValue, Statement, Store } from "../store/types.js";

/** The part of a D1 prepared statement the store uses (structural: no Workers types needed). */
export interface D1PreparedStatementLike {
  bind(...values: unknown[]): D1PreparedStatementLike;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  run(): Promise<{ meta: { changes?: number } }>;
}

/** The part of a D1 database binding the store uses. */
export interface D1DatabaseLike {
  prepare(sql: string): D1PreparedStatementLike;
  batch(statements: D1PreparedStatementLike[]): Promise<Array<{ meta: { changes?: number } }>>;
}

// D1 binds numbers, strings, null and byte buffers; a bigint goes as a number when exact.
function toD1(value: SqlValue): unknown {
  if (typeof value !== "bigint") return value;
  if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER))
    return Number(value);
  throw new RangeError(`D1 cannot bind ${value}: integers beyond 2^53 are not supported; store it as TEXT.`);
}

/**
 * A `Store` over a Cloudflare D1 binding. `batch` maps to `db.batch`, which D1 runs as one
 * transaction (all or nothing), so idempotency records and writes stay atomic on Workers too.
 * `close` does nothing: the binding belongs to the Worker.
 */
export function d1Store(db: D1DatabaseLike): Store {
  const prepare = (sql: string, params?: readonly SqlValue[]) => {
    const statement = db.prepare(sql);
    return params?.length ? statement.bind(...params.map(toD1)) : statement;
  };
  return {
    dialect: "sqlite",
    async all<T extends object>(sql: string, params?: readonly SqlValue[]) {
      return (await prepare(sql, params).all<T>()).results;
    },
    async first<T extends object>(sql: string, params?: readonly SqlValue[]) {
      return (await prepare(sql, params).first<T>()) ?? undefined;
    },
    async run(sql, params): Promise<RunResult> {
      return { changes: (await prepare(sql, params).run()).meta.changes ?? 0 };
    },
    async batch(statements: readonly Statement[]) {
      if (statements.length === 0) return [];
      const results = await db.batch(statements.map((s) => prepare(s.sql, s.params)));
      return results.map((r) => ({ changes: r.meta.changes ?? 0 }));
    },
    async close() {},
  };
}

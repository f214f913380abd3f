import type { Pool, PoolClient, PoolConfig } from "pg";
import { PackKitError } from "../errors.js";
import {
  postgresError,
  postgresTypeParsers,
  redactConnectionString,
  statementSender,
} from "../store/postgres-dialect.js";
import { postgresSessionStore } from "../store/postgres-session-store.js";
import type { RunResult, SqlValue, Store } from "../store/types.js";

export { postgresError } from "../store/postgres-dialect.js";

/** Options of `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** Most connections the pool opens (default 10). */
  maxConnections?: number;
  /** A statement running longer is cancelled by the server (default 30,000 ms; 0 = no limit). */
  statementTimeoutMs?: number;
  /** Giving up on reaching the server after this long (default 10,000 ms). */
  connectTimeoutMs?: number;
}

/** The pool, checked to answer, and the one way statements are sent over it. */
async function openPool(url: string, options: PostgresStoreOptions) {
  const where = redactConnectionString(url);
  let pg: typeof import("pg");
  try {
    pg = (await import("pg")).default as unknown as typeof import("pg");
  } catch (error) {
    throw new PackKitError(
      "postgres_driver_missing",
      `A postgres:// store needs the "pg" package, which could not be loaded (${String(error)}). Install it next to your app (npm install pg).`,
      { cause: error },
    );
  }
  const statementTimeout = options.statementTimeoutMs ?? 30_000;
  const config: PoolConfig = {
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
    application_name: "toolpacks",
    types: postgresTypeParsers((oid) => pg.types.getTypeParser(oid)) as PoolConfig["types"],
  };
  const pool: Pool = new pg.Pool(config);
  // An idle connection the server drops must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  const connect = async (): Promise<PoolClient> => {
    try {
      return await pool.connect();
    } catch (error) {
      throw postgresError(error, where);
    }
  };
  try {
    const client = await connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  const send = statementSender();
  const query = (client: PoolClient, sql: string, params: readonly SqlValue[] | undefined) =>
    send(client as unknown as Parameters<typeof send>[0], sql, params);
  return { pool, where, connect, query };
}

/**
 * Opens a `Store` over a Postgres server with a `pg` connection pool, and checks that the server
 * answers before returning (so a bad URL fails at start-up, not at the first tool call). SQL is
 * the packs' portable subset with `?` placeholders, rewritten to `$n`. Reads (`all`, `first`)
 * each run in their own `BEGIN READ ONLY` transaction, so a read that tries to write is refused by
 * the server (`store_read_only`), whatever its text. `run` is one autocommitted statement;
 * `batch` runs on one connection inside BEGIN … COMMIT and rolls back on any failure. Every
 * statement uses the extended protocol, so one call is exactly one statement. A text parameter
 * holding U+0000 (which Postgres text cannot hold) is refused before sending with `ToolError`
 * `unsupported_text`, so a tool answers with a tool error, not a crash. Integers come back
 * as numbers (bigint beyond 2^53), booleans as 1/0, dates and JSON as text. Errors are
 * `PackKitError`s (see `postgresError`). `close` ends the pool; calls after it reject with
 * `store_closed`.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { pool, where, connect } = await openPool(url, options);
  return postgresSessionStore({
    where,
    async acquire() {
      const client = await connect();
      return { client: client as never, release: (broken) => client.release(broken) };
    },
    begin: (readOnly) => (readOnly ? "BEGIN READ ONLY" : "BEGIN"),
    end: () => pool.end(),
  });
}

/**
 * Runs `work` on a store whose every call goes into ONE transaction on one connection: committed
 * when `work` resolves, rolled back when it throws (then the error is rethrown). Postgres DDL is
 * transactional, so tables, indexes, triggers and functions a migration run inside `work` creates
 * vanish with a failure too: a failed first import leaves the database as it found it. Each call
 * runs in a savepoint of its own, so a failing statement undoes only itself (its batch, whole)
 * and `work` may catch it and go on, as with `openPostgresStore` where each call is its own
 * transaction. Reads are not READ ONLY here: this store is the writer's own. Holds one
 * connection and the transaction's locks until `work` ends; `close` is a no-op (the function
 * ends the connection).
 */
export async function withPostgresTransaction<R>(
  url: string,
  work: (store: Store) => Promise<R>,
  options: PostgresStoreOptions = {},
): Promise<R> {
  const { pool, where, connect, query } = await openPool(url, { ...options, maxConnections: 1 });
  let client: PoolClient | undefined;
  let broken: Error | undefined;
  try {
    client = await connect();
    const held = client;
    await held.query("BEGIN");
    // One call at a time: savepoints nest, so overlapping calls would release each other's.
    let queue: Promise<unknown> = Promise.resolve();
    const inSavepoint = <T>(step: () => Promise<T>): Promise<T> => {
      const next = queue.then(async () => {
        await held.query("SAVEPOINT toolpacks_call");
        try {
          const result = await step();
          await held.query("RELEASE SAVEPOINT toolpacks_call");
          return result;
        } catch (error) {
          // Should even this fail, the transaction stays aborted: every later call fails and
          // `work` ends in the rollback below.
          await held
            .query("ROLLBACK TO SAVEPOINT toolpacks_call")
            .then(() => held.query("RELEASE SAVEPOINT toolpacks_call"))
            .catch(() => {});
          throw postgresError(error, where);
        }
      });
      queue = next.catch(() => {});
      return next;
    };
    const store: Store = {
      dialect: "postgres",
      all: <T extends object>(sql: string, params?: readonly SqlValue[]) =>
        inSavepoint(async () => (await query(held, sql, params)).rows as T[]),
      first: <T extends object>(sql: string, params?: readonly SqlValue[]) =>
        inSavepoint(async () => (await query(held, sql, params)).rows[0] as T | undefined),
      run: (sql, params) =>
        inSavepoint(async () => ({ changes: (await query(held, sql, params)).rowCount ?? 0 })),
      batch: (statements) =>
        inSavepoint(async () => {
          const results: RunResult[] = [];
          for (const s of statements)
            results.push({ changes: (await query(held, s.sql, s.params)).rowCount ?? 0 });
          return results;
        }),
      close: async () => {},
    };
    let result: R;
    try {
      result = await work(store);
      await queue;
    } catch (error) {
      await queue;
      await held.query("ROLLBACK").catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
    try {
      await held.query("COMMIT");
    } catch (error) {
      throw postgresError(error, where);
    }
    return result;
  } finally {
    client?.release(broken);
    await pool.end();
  }
}

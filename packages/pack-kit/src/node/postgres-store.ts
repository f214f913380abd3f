import type { Pool, PoolClient, PoolConfig } from "pg";
import { PackKitError, ToolError } from "../errors.js";
import { toPostgresPlaceholders } from "../store/placeholders.js";
import type { RunResult, SqlValue, Statement, Store } from "../store/types.js";

/** Options of `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** Most connections the pool opens (default 10). */
  maxConnections?: number;
  /** A statement running longer is cancelled by the server (default 30,000 ms; 0 = no limit). */
  statementTimeoutMs?: number;
  /** Giving up on reaching the server after this long (default 10,000 ms). */
  connectTimeoutMs?: number;
}

// Result types SqlValue can carry, decided here once for every query: integers as numbers
// (bigint past 2^53) like node:sqlite, booleans as 1/0 like SQLite, dates and JSON as their text.
const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const TEXT_AS_IS = new Set([114, 3802, 1082, 1083, 1114, 1184, 1266, 1186]);

function integerValue(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** Parses an int8 or numeric result column as node:sqlite would: exact integers, else a number. */
export function parseNumeric(text: string): number | bigint {
  return /^-?\d+$/.test(text) ? integerValue(text) : Number(text);
}

const typeParsers = (fallback: (oid: number) => (text: string) => unknown) => ({
  getTypeParser(oid: number, format?: string): (text: string) => unknown {
    if (format === "binary") return (value) => value;
    if (oid === INT8 || oid === NUMERIC) return parseNumeric;
    if (oid === BOOL) return (text) => (text === "t" ? 1 : 0);
    if (TEXT_AS_IS.has(oid)) return (text) => text;
    return fallback(oid);
  },
});

function bindValue(value: SqlValue): unknown {
  if (typeof value === "string" && value.includes("\u0000")) {
    // Postgres text cannot hold U+0000, so no stored value can equal it and none can be written.
    throw new ToolError(
      "unsupported_text",
      "A text value contains a NUL character (U+0000), which the Postgres store cannot hold or compare; nothing was read or written.",
      { fix: "remove the NUL character from the argument and retry." },
    );
  }
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value);
  return value;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://…";
  }
}

/**
 * Turns a failure of the driver or the server into a `PackKitError` whose message says what went
 * wrong and how to fix it, keeping the original as `cause` (constraint violations keep their
 * SQLSTATE there, so `isConstraintViolation` still sees them). Codes: `store_unreachable`,
 * `store_auth_failed`, `store_database_missing`, `store_permission_denied`, `store_read_only`
 * (a read tried to write), `store_timeout`, `store_query_failed` (anything else).
 */
export function postgresError(error: unknown, where: string): PackKitError | ToolError {
  if (error instanceof PackKitError || error instanceof ToolError) return error;
  const e = error as { code?: string; message?: string };
  const code = typeof e?.code === "string" ? e.code : "";
  const message = e?.message ?? String(error);
  const make = (kind: string, text: string) => new PackKitError(kind, text, { cause: error });
  if (
    [
      "ECONNREFUSED",
      "ENOTFOUND",
      "EAI_AGAIN",
      "ETIMEDOUT",
      "ECONNRESET",
      "EHOSTUNREACH",
      "ENETUNREACH",
    ].includes(code) ||
    /timeout expired|Connection terminated/i.test(message)
  ) {
    return make(
      "store_unreachable",
      `Cannot reach the Postgres server at ${where} (${code || message}). Check that it is running and that host, port and network allow the connection.`,
    );
  }
  if (code === "28P01" || code === "28000") {
    return make(
      "store_auth_failed",
      `Postgres at ${where} refused the login: ${message}. Check the user and password in the connection string (and pg_hba.conf).`,
    );
  }
  if (code === "3D000") {
    return make(
      "store_database_missing",
      `Postgres at ${where}: ${message}. Create the database first (CREATE DATABASE …) or name an existing one in the connection string.`,
    );
  }
  if (code === "42501") {
    return make(
      "store_permission_denied",
      `Postgres at ${where}: the role lacks a right the pack needs (${message}). Grant it (for example CREATE on the schema for migrations, INSERT/UPDATE on the pack's tables for writes).`,
    );
  }
  if (code === "25006") {
    return make(
      "store_read_only",
      `A read query tried to write (${message}); reads run in READ ONLY transactions. Write through run or batch.`,
    );
  }
  if (code === "57014") {
    return make(
      "store_timeout",
      `Postgres at ${where} cancelled a statement that ran past the statement timeout (${message}). Narrow the query or raise statementTimeoutMs.`,
    );
  }
  return make("store_query_failed", `Postgres at ${where}: ${message}${code ? ` (SQLSTATE ${code})` : ""}`);
}

/** The pool, checked to answer, and the one way statements are sent over it. */
async function openPool(url: string, options: PostgresStoreOptions) {
  const where = redact(url);
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
    types: typeParsers((oid) => pg.types.getTypeParser(oid)) as PoolConfig["types"],
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
  const texts = new Map<string, string>();
  const text = (sql: string) => {
    let converted = texts.get(sql);
    if (converted === undefined) {
      converted = toPostgresPlaceholders(sql);
      if (texts.size > 1000) texts.clear();
      texts.set(sql, converted);
    }
    return converted;
  };
  const query = async (client: PoolClient, sql: string, params: readonly SqlValue[] | undefined) => {
    // queryMode "extended": one statement per call, even without parameters (no `;`-chained SQL).
    const config = { text: text(sql), values: (params ?? []).map(bindValue), queryMode: "extended" };
    return client.query(config as { text: string; values: unknown[] });
  };
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
  const { pool, where, connect, query } = await openPool(url, options);
  let closed = false;
  const ensureOpen = () => {
    if (closed) {
      throw new PackKitError(
        "store_closed",
        `The Postgres store ${where} is closed: close() was called before this query. Open it again, or close it only after the last call.`,
      );
    }
  };
  const inTransaction = async <R>(begin: string, work: (client: PoolClient) => Promise<R>): Promise<R> => {
    ensureOpen();
    const client = await connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        // The connection is gone: the pool must not hand it out again.
        broken = rollbackError as Error;
      }
      throw postgresError(error, where);
    } finally {
      client.release(broken);
    }
  };
  const read = <R>(sql: string, params: readonly SqlValue[] | undefined, pick: (rows: object[]) => R) =>
    inTransaction("BEGIN READ ONLY", async (client) => pick((await query(client, sql, params)).rows));

  return {
    dialect: "postgres",
    async all<T extends object>(sql: string, params?: readonly SqlValue[]) {
      return read(sql, params, (rows) => rows as T[]);
    },
    async first<T extends object>(sql: string, params?: readonly SqlValue[]) {
      return read(sql, params, (rows) => rows[0] as T | undefined);
    },
    async run(sql, params): Promise<RunResult> {
      // One statement autocommits on its own: all of it or nothing.
      ensureOpen();
      const client = await connect();
      try {
        return { changes: (await query(client, sql, params)).rowCount ?? 0 };
      } catch (error) {
        throw postgresError(error, where);
      } finally {
        client.release();
      }
    },
    async batch(statements: readonly Statement[]) {
      if (statements.length === 0) return [];
      return inTransaction("BEGIN", async (client) => {
        const results: RunResult[] = [];
        for (const s of statements)
          results.push({ changes: (await query(client, s.sql, s.params)).rowCount ?? 0 });
        return results;
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
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

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { constants, DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { PackKitError } from "../errors.js";
import type { RunResult, SqlValue, Statement, Store } from "../store/types.js";

/** Options of `openSqliteStore`. */
export interface SqliteStoreOptions {
  /**
   * Write-ahead logging for file databases (default true: readers do not block the writer).
   * Turn it off to keep every byte in the main file, e.g. to compare files byte for byte.
   */
  wal?: boolean;
  /** Open without write access (statements that write then fail). */
  readOnly?: boolean;
}

/**
 * Opens a SQLite database with Node's built-in `node:sqlite` (no native build, the same SQLite
 * semantics as D1 and Durable Objects). `path` is a file, created with its parent folders when
 * missing, or `":memory:"` (the default). Foreign keys are enforced; a busy database is retried
 * for 5 s before a write fails. `all` and `first` refuse statements that write (on Node >= 24.10).
 * `close` may be called more than once; any other call after it rejects with `PackKitError`
 * `store_closed`.
 */
export function openSqliteStore(path = ":memory:", options: SqliteStoreOptions = {}): Store {
  const inMemory = path === ":memory:" || path === "";
  if (!inMemory && !options.readOnly) mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(inMemory ? ":memory:" : path, { readOnly: options.readOnly ?? false });
  db.exec("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
  if (!inMemory && !options.readOnly && options.wal !== false) db.exec("PRAGMA journal_mode = WAL;");

  // `all` and `first` are for queries: while one compiles, SQLite's authorizer (Node >= 24.10)
  // refuses anything but reads, so a read tool cannot write even through `UPDATE ... RETURNING`.
  let readOnly = false;
  const readActions = new Set([
    constants.SQLITE_SELECT,
    constants.SQLITE_READ,
    constants.SQLITE_FUNCTION,
    constants.SQLITE_RECURSIVE,
  ]);
  // Pragmas that only describe the schema; any other pragma with a value may change settings.
  const describingPragmas = new Set([
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "foreign_key_list",
  ]);
  if (typeof db.setAuthorizer === "function") {
    db.setAuthorizer((action, arg1, arg2) =>
      !readOnly ||
      readActions.has(action) ||
      (action === constants.SQLITE_PRAGMA && (arg2 === null || describingPragmas.has(arg1 ?? "")))
        ? constants.SQLITE_OK
        : constants.SQLITE_DENY,
    );
  }

  // Preparing is the costly part of a small query; packs repeat the same SQL text. Reads and
  // writes keep separate caches because the authorizer judges a statement when it compiles.
  const caches = { read: new Map<string, StatementSync>(), write: new Map<string, StatementSync>() };
  const prepare = (sql: string, mode: "read" | "write"): StatementSync => {
    const cache = caches[mode];
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (cache.size > 500) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  };
  const read = <R>(sql: string, query: (statement: StatementSync) => R): R => {
    readOnly = true;
    try {
      return query(prepare(sql, "read"));
    } finally {
      readOnly = false;
    }
  };
  // node:sqlite's own error after close ("database is not open") does not say which store or why.
  let closed = false;
  const ensureOpen = () => {
    if (closed) {
      throw new PackKitError(
        "store_closed",
        `The SQLite store ${inMemory ? "(in memory)" : path} is closed: close() was called before this query. Open it again with openSqliteStore, or close it only after the last call.`,
      );
    }
  };
  const bind = (params: readonly SqlValue[] | undefined) => (params ?? []) as SQLInputValue[];
  const runOne = (s: Statement): RunResult => ({
    changes: Number(prepare(s.sql, "write").run(...bind(s.params)).changes),
  });

  return {
    dialect: "sqlite",
    async all<T extends object>(sql: string, params?: readonly SqlValue[]) {
      ensureOpen();
      return read(sql, (statement) => statement.all(...bind(params)) as T[]);
    },
    async first<T extends object>(sql: string, params?: readonly SqlValue[]) {
      ensureOpen();
      return read(sql, (statement) => statement.get(...bind(params)) as T | undefined);
    },
    async run(sql, params) {
      ensureOpen();
      return runOne({ sql, params });
    },
    async batch(statements) {
      ensureOpen();
      // Synchronous from BEGIN to COMMIT, so no other call on this connection interleaves.
      db.exec("BEGIN IMMEDIATE");
      try {
        const results = statements.map(runOne);
        db.exec("COMMIT");
        return results;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },
    async close() {
      closed = true;
      caches.read.clear();
      caches.write.clear();
      if (db.isOpen) db.close();
    },
  };
}

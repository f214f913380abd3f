import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
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
 * for 5 s before a write fails.
 */
export function openSqliteStore(path = ":memory:", options: SqliteStoreOptions = {}): Store {
  const inMemory = path === ":memory:" || path === "";
  if (!inMemory && !options.readOnly) mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(inMemory ? ":memory:" : path, { readOnly: options.readOnly ?? false });
  db.exec("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
  if (!inMemory && !options.readOnly && options.wal !== false) db.exec("PRAGMA journal_mode = WAL;");

  // Preparing is the costly part of a small query; packs repeat the same SQL text.
  const cache = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (cache.size > 500) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  };
  const bind = (params: readonly SqlValue[] | undefined) => (params ?? []) as SQLInputValue[];
  const runOne = (s: Statement): RunResult => ({
    changes: Number(prepare(s.sql).run(...bind(s.params)).changes),
  });

  return {
    dialect: "sqlite",
    async all<T extends object>(sql: string, params?: readonly SqlValue[]) {
      return prepare(sql).all(...bind(params)) as T[];
    },
    async first<T extends object>(sql: string, params?: readonly SqlValue[]) {
      return prepare(sql).get(...bind(params)) as T | undefined;
    },
    async run(sql, params) {
      return runOne({ sql, params });
    },
    async batch(statements) {
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
      cache.clear();
      if (db.isOpen) db.close();
    },
  };
}

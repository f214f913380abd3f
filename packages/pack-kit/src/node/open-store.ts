import type { Store } from "../store/types.js";
import { openPostgresStore, type PostgresStoreOptions } from "./postgres-store.js";
import { openSqliteStore } from "./sqlite-store.js";

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** Whether `--db` names a Postgres server (`postgres://` or `postgresql://`) rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return POSTGRES_URL.test(db);
}

/**
 * Opens the store a `--db` value names: a `postgres://…` / `postgresql://…` connection string
 * opens a pooled Postgres store (the server must answer: see `openPostgresStore` for its typed
 * errors), anything else is a SQLite file path or `:memory:` (created when missing).
 */
export async function openStore(
  db: string,
  options: { postgres?: PostgresStoreOptions } = {},
): Promise<Store> {
  return isPostgresUrl(db) ? openPostgresStore(db, options.postgres) : openSqliteStore(db);
}

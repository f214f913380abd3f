import type { Statement, Store } from "./types.js";

/**
 * One key for every pack's migrations in a database: packs share the kit tables, and a rollup of
 * one pack may read another's table. The number is arbitrary but fixed ("tpmigrat" in ASCII).
 */
const MIGRATION_LOCK_KEY = "8390326405265777012";

/**
 * The statement that makes schema changes in one database run one after the other, put first in
 * their transaction: on Postgres a transaction-scoped advisory lock (released at commit or
 * rollback, so it also holds through Hyperdrive's per-transaction pooling). SQLite and D1 already
 * write one transaction at a time: nothing to add.
 */
export function migrationLock(store: Pick<Store, "dialect">): Statement[] {
  return store.dialect === "postgres" ? [{ sql: `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})` }] : [];
}

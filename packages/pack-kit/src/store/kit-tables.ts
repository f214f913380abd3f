import { migrationLock } from "./migration-lock.js";
import { defineTables, integer, text } from "./tables.js";
import type { Statement, Store } from "./types.js";

/**
 * Tables the kit keeps next to a pack's own, in the same store (names start with `_`):
 * - `_migrations`: which migration of which pack ran, and when;
 * - `_meta`: key/value facts about the store, e.g. the world's as-of date;
 * - `_idempotency`: the first answer of every keyed write, so a retry replays it;
 * - `_provenance`: per table and source system, what filled it, when, and as of which date.
 * Plain SQL that SQLite and Postgres both accept.
 */
export const KIT_TABLES: readonly Statement[] = [
  {
    sql: "CREATE TABLE IF NOT EXISTS _migrations (pack TEXT NOT NULL, id TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (pack, id))",
  },
  { sql: "CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)" },
  {
    sql: "CREATE TABLE IF NOT EXISTS _idempotency (key TEXT PRIMARY KEY, pack TEXT NOT NULL, tool TEXT NOT NULL, args_hash TEXT NOT NULL, result TEXT NOT NULL, created_at TEXT NOT NULL)",
  },
  {
    sql: "CREATE TABLE IF NOT EXISTS _provenance (table_name TEXT NOT NULL, source_system TEXT NOT NULL, pack TEXT NOT NULL, source_id TEXT NOT NULL, last_import_at TEXT NOT NULL, as_of TEXT NOT NULL, rows INTEGER NOT NULL, PRIMARY KEY (table_name, source_system))",
  },
];

/**
 * Creates the kit tables when missing. Safe to call on every start, from several processes at
 * once: under the migration lock, without which two Postgres sessions creating the same table at
 * the same moment make one fail on the catalog's unique index despite `IF NOT EXISTS`.
 */
export async function ensureKitTables(store: Store): Promise<void> {
  await store.batch([...migrationLock(store), ...KIT_TABLES]);
}

/**
 * The kit tables' columns, declared like a pack's (`defineTables`), so the conformance check
 * that compares a pack's declaration with its migrated store accounts for every table there.
 */
export const KIT_TABLE_COLUMNS = defineTables({
  _migrations: { pack: text(), id: text(), applied_at: text() },
  _meta: { key: text(), value: text() },
  _idempotency: {
    key: text(),
    pack: text(),
    tool: text(),
    args_hash: text(),
    result: text(),
    created_at: text(),
  },
  _provenance: {
    table_name: text(),
    source_system: text(),
    pack: text(),
    source_id: text(),
    last_import_at: text(),
    as_of: text(),
    rows: integer(),
  },
});

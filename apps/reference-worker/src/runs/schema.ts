/**
 * The app's own tables next to the packs' (same D1): runs for the inspector, the index of
 * suspended runs and the calls they wait on, the notification outbox, and governance's audit trail. Created once per
 * isolate with IF NOT EXISTS, so `wrangler dev` works on an empty database.
 */
import { AUDIT_TABLE_SQL } from "../gateway/governance.js";

export const APP_TABLES: readonly string[] = [
  AUDIT_TABLE_SQL,
  `CREATE TABLE IF NOT EXISTS app_runs (
    run_id TEXT PRIMARY KEY, ts TEXT NOT NULL, principal TEXT, role TEXT, surface TEXT NOT NULL,
    program TEXT NOT NULL, ok INTEGER NOT NULL, error_code TEXT, error_message TEXT, result TEXT,
    calls TEXT NOT NULL, wall_ms REAL NOT NULL, code_mode_tokens INTEGER NOT NULL, classic_tokens INTEGER NOT NULL
  )`,
  "CREATE INDEX IF NOT EXISTS app_runs_ts ON app_runs (ts)",
  `CREATE TABLE IF NOT EXISTS app_approvals (
    id TEXT PRIMARY KEY, ts TEXT NOT NULL, run_id TEXT NOT NULL, position INTEGER NOT NULL, principal TEXT,
    tool TEXT NOT NULL, args TEXT NOT NULL, reason TEXT, status TEXT NOT NULL DEFAULT 'pending', decided_by TEXT
  )`,
  "CREATE INDEX IF NOT EXISTS app_approvals_run ON app_approvals (run_id)",
  // Durable runs for listing; each run's Durable Object holds its signed continuation.
  `CREATE TABLE IF NOT EXISTS app_durable_runs (
    run_id TEXT PRIMARY KEY, status TEXT NOT NULL, updated_at INTEGER NOT NULL, principal TEXT, role TEXT, surface TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS app_outbox (
    id TEXT PRIMARY KEY, ts TEXT NOT NULL, principal TEXT, recipient TEXT NOT NULL,
    subject TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'queued'
  )`,
];

const ready = new WeakMap<D1Database, Promise<void>>();

/** Creates the app tables once per isolate (and again after a failure). */
export function ensureAppTables(db: D1Database): Promise<void> {
  let entry = ready.get(db);
  if (!entry) {
    entry = db.batch(APP_TABLES.map((sql) => db.prepare(sql))).then(() => undefined);
    ready.set(db, entry);
    entry.catch(() => ready.delete(db));
  }
  return entry;
}

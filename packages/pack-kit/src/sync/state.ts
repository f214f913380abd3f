import type { ReadStore, Statement, Store } from "../store/types.js";

/**
 * The kit's sync bookkeeping, next to `_provenance` in the pack's store:
 * - `_sync_cursors`: per pack, system and stream, the position after the last committed page
 *   (written in the same transaction as that page's rows);
 * - `_sync_runs`: per pack and system, when the last run started, last succeeded, and the last
 *   error (cleared by the next success);
 * - `_sync_leases`: per pack and system, the run that holds the right to sync it, until when.
 */
export const SYNC_TABLES: readonly Statement[] = [
  {
    sql: "CREATE TABLE IF NOT EXISTS _sync_cursors (pack TEXT NOT NULL, system TEXT NOT NULL, stream TEXT NOT NULL, cursor TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (pack, system, stream))",
  },
  {
    sql: "CREATE TABLE IF NOT EXISTS _sync_runs (pack TEXT NOT NULL, system TEXT NOT NULL, started_at TEXT, succeeded_at TEXT, error_code TEXT, error TEXT, error_at TEXT, PRIMARY KEY (pack, system))",
  },
  {
    sql: "CREATE TABLE IF NOT EXISTS _sync_leases (pack TEXT NOT NULL, system TEXT NOT NULL, holder TEXT NOT NULL, expires_at TEXT NOT NULL, PRIMARY KEY (pack, system))",
  },
];

/**
 * How long a sync run holds its lease without committing a page (each page renews it). A run that
 * died leaves its lease behind; the next run may take it once it lapsed.
 */
export const SYNC_LEASE_MS = 10 * 60_000;

/**
 * Takes the lease of `system` for `holder` unless another run holds an unexpired one (times are
 * ISO-8601 strings, which compare in order). One conditional upsert, then a read of who holds it:
 * of two runs claiming at once, exactly one sees itself.
 */
export async function claimSyncLease(
  store: Store,
  lease: { pack: string; system: string; holder: string; now: string; expiresAt: string },
): Promise<{ held: true } | { held: false; expiresAt: string }> {
  await store.run(
    `INSERT INTO _sync_leases (pack, system, holder, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (pack, system) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
      WHERE _sync_leases.holder = excluded.holder OR _sync_leases.expires_at <= ?`,
    [lease.pack, lease.system, lease.holder, lease.expiresAt, lease.now],
  );
  const row = await syncLeaseOf(store, lease.pack, lease.system);
  return row?.holder === lease.holder ? { held: true } : { held: false, expiresAt: row?.expiresAt ?? "" };
}

/** Who holds the lease of `system` now, and until when. */
export function syncLeaseOf(
  store: ReadStore,
  pack: string,
  system: string,
): Promise<{ holder: string; expiresAt: string } | undefined> {
  return store.first<{ holder: string; expiresAt: string }>(
    `SELECT holder, expires_at AS "expiresAt" FROM _sync_leases WHERE pack = ? AND system = ?`,
    [pack, system],
  );
}

/** Extends `holder`'s lease (in a page's transaction); does nothing to another holder's. */
export function renewSyncLeaseStatement(
  pack: string,
  system: string,
  holder: string,
  expiresAt: string,
): Statement {
  return {
    sql: "UPDATE _sync_leases SET expires_at = ? WHERE pack = ? AND system = ? AND holder = ?",
    params: [expiresAt, pack, system, holder],
  };
}

/** Gives up `holder`'s lease. */
export function releaseSyncLeaseStatement(pack: string, system: string, holder: string): Statement {
  return {
    sql: "DELETE FROM _sync_leases WHERE pack = ? AND system = ? AND holder = ?",
    params: [pack, system, holder],
  };
}

/** Creates the sync tables when missing. */
export async function ensureSyncTables(store: Store): Promise<void> {
  await store.batch(SYNC_TABLES);
}

/** The saved cursors of `system` for `pack` (stream -> cursor); empty before the first sync. */
export async function readCursors(
  store: ReadStore,
  pack: string,
  system: string,
): Promise<Map<string, string>> {
  try {
    const rows = await store.all<{ stream: string; cursor: string }>(
      "SELECT stream, cursor FROM _sync_cursors WHERE pack = ? AND system = ?",
      [pack, system],
    );
    return new Map(rows.map((r) => [r.stream, r.cursor]));
  } catch {
    return new Map();
  }
}

/** The statement that saves one stream's cursor (insert or replace). */
export function cursorStatement(
  pack: string,
  system: string,
  stream: string,
  cursor: string,
  at: string,
): Statement {
  return {
    sql: `INSERT INTO _sync_cursors (pack, system, stream, cursor, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (pack, system, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    params: [pack, system, stream, cursor, at],
  };
}

/** Marks a run of `system` started. */
export function runStartedStatement(pack: string, system: string, at: string): Statement {
  return {
    sql: `INSERT INTO _sync_runs (pack, system, started_at) VALUES (?, ?, ?)
      ON CONFLICT (pack, system) DO UPDATE SET started_at = excluded.started_at`,
    params: [pack, system, at],
  };
}

/** Marks a run of `system` succeeded, clearing the last error. */
export function runSucceededStatement(pack: string, system: string, at: string): Statement {
  return {
    sql: `INSERT INTO _sync_runs (pack, system, succeeded_at) VALUES (?, ?, ?)
      ON CONFLICT (pack, system) DO UPDATE SET succeeded_at = excluded.succeeded_at, error_code = NULL, error = NULL, error_at = NULL`,
    params: [pack, system, at],
  };
}

/** Records why a run of `system` failed (kept until a run succeeds). */
export function runFailedStatement(
  pack: string,
  system: string,
  code: string,
  error: string,
  at: string,
): Statement {
  return {
    sql: `INSERT INTO _sync_runs (pack, system, error_code, error, error_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (pack, system) DO UPDATE SET error_code = excluded.error_code, error = excluded.error, error_at = excluded.error_at`,
    params: [pack, system, code, error.slice(0, 500), at],
  };
}

/** One system's sync run state, as `_sync_runs` records it. */
export interface SyncRunState {
  system: string;
  startedAt: string | null;
  succeededAt: string | null;
  errorCode: string | null;
  error: string | null;
  errorAt: string | null;
}

/** Every sync run record of `pack` (empty before the first sync). */
export async function readSyncRuns(store: ReadStore, pack: string): Promise<SyncRunState[]> {
  try {
    return await store.all<SyncRunState>(
      `SELECT system, started_at AS "startedAt", succeeded_at AS "succeededAt", error_code AS "errorCode",
        error, error_at AS "errorAt" FROM _sync_runs WHERE pack = ? ORDER BY system`,
      [pack],
    );
  } catch {
    return [];
  }
}

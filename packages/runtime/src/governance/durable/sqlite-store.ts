import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { StoredContinuation } from "./continuation.js";
import type { ContinuationStore } from "./store.js";

/** File name of the continuation database inside a state directory. */
export const CONTINUATIONS_FILE = "continuations.sqlite";

/**
 * Continuations in a SQLite file (`node:sqlite`) at `DIR/continuations.sqlite`, created with
 * the directory when missing (mode 0700). Each save is one statement, so a process killed
 * mid-save leaves the previous continuation. Several processes may share the file (WAL mode,
 * a busy timeout of 5 s).
 */
export function sqliteContinuationStore(stateDir: string): ContinuationStore & { close(): void } {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, CONTINUATIONS_FILE);
  // Loaded here, not at import: `@toolpacks/runtime/node` (and the CLI) must load on a Node whose
  // node:sqlite is missing or flagged; only a state directory needs it.
  const { DatabaseSync } = process.getBuiltinModule("node:sqlite") as typeof import("node:sqlite");
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;
    CREATE TABLE IF NOT EXISTS continuations (
      run_id TEXT PRIMARY KEY, status TEXT NOT NULL, sealed TEXT NOT NULL, updated_at INTEGER NOT NULL)`);
  try {
    chmodSync(file, 0o600);
  } catch {
    // Best effort: a file system without modes still works.
  }
  const upsert = db.prepare(
    `INSERT INTO continuations (run_id, status, sealed, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(run_id) DO UPDATE SET status = excluded.status, sealed = excluded.sealed, updated_at = excluded.updated_at`,
  );
  const one = db.prepare("SELECT run_id, status, sealed, updated_at FROM continuations WHERE run_id = ?");
  const all = db.prepare(
    "SELECT run_id, status, updated_at FROM continuations ORDER BY updated_at DESC, run_id",
  );
  type Row = { run_id: string; status: string; sealed?: string; updated_at: number };
  return {
    save(record) {
      upsert.run(record.runId, record.status, record.sealed, record.updatedAt);
    },
    load(runId) {
      const row = one.get(runId) as Row | undefined;
      return row
        ? {
            runId: row.run_id,
            status: row.status as StoredContinuation["status"],
            sealed: row.sealed as string,
            updatedAt: Number(row.updated_at),
          }
        : undefined;
    },
    list() {
      return (all.all() as Row[]).map((row) => ({
        runId: row.run_id,
        status: row.status as StoredContinuation["status"],
        updatedAt: Number(row.updated_at),
      }));
    },
    close() {
      db.close();
    },
  };
}

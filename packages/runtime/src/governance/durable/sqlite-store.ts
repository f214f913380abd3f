import { chmodSync, mkdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { StoredContinuation } from "./continuation.js";
import type { LeasedContinuationStore } from "./store.js";

/** File name of the continuation database inside a state directory. */
export const CONTINUATIONS_FILE = "continuations.sqlite";

/**
 * Continuations in a SQLite file (`node:sqlite`) at `DIR/continuations.sqlite`, created with
 * the directory when missing (mode 0700). Each save is one statement, so a process killed
 * mid-save leaves the previous continuation. Several processes may share the file (WAL mode,
 * a busy timeout of 5 s); a run's lease (`claim`) is one conditional upsert, so of two processes
 * claiming it at once exactly one gets it. A lease records the holder's host and pid: one held by
 * a process of this machine that no longer runs is taken over at once instead of at its expiry.
 */
export function sqliteContinuationStore(stateDir: string): LeasedContinuationStore & { close(): void } {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, CONTINUATIONS_FILE);
  // Loaded here, not at import: `@toolpacks/runtime/node` (and the CLI) must load on a Node whose
  // node:sqlite is missing or flagged; only a state directory needs it.
  const { DatabaseSync } = process.getBuiltinModule("node:sqlite") as typeof import("node:sqlite");
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;
    CREATE TABLE IF NOT EXISTS continuations (
      run_id TEXT PRIMARY KEY, status TEXT NOT NULL, sealed TEXT NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS leases (
      run_id TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL,
      host TEXT NOT NULL, pid INTEGER NOT NULL)`);
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
  // Taken when free, expired or already ours; the WHERE leaves a live foreign lease untouched.
  const claim = db.prepare(
    `INSERT INTO leases (run_id, holder, expires_at, host, pid) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(run_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
       host = excluded.host, pid = excluded.pid
     WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
  );
  const leaseOf = db.prepare("SELECT holder, host, pid FROM leases WHERE run_id = ?");
  const takeOver = db.prepare(
    "UPDATE leases SET holder = ?, expires_at = ?, host = ?, pid = ? WHERE run_id = ? AND holder = ?",
  );
  const release = db.prepare("DELETE FROM leases WHERE run_id = ? AND holder = ?");
  const host = hostname();
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
    claim(runId, holder, expiresAt, now) {
      if (Number(claim.run(runId, holder, expiresAt, host, process.pid, now).changes) === 1) return true;
      // A lease held by a process of this machine that is gone (killed mid-resume) need not be
      // waited out. Only the dead holder's row is replaced, so two claimants still get one lease.
      const lease = leaseOf.get(runId) as { holder: string; host: string; pid: number } | undefined;
      if (!lease || lease.host !== host || processAlive(Number(lease.pid))) return false;
      return Number(takeOver.run(holder, expiresAt, host, process.pid, runId, lease.holder).changes) === 1;
    },
    release(runId, holder) {
      release.run(runId, holder);
    },
    close() {
      db.close();
    },
  };
}

/** Whether a process of this machine is running (a pid we may not signal still exists). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !zombie(pid);
}

/** A killed process nobody reaped yet (in containers PID 1 often does not) still answers signals. */
function zombie(pid: number): boolean {
  try {
    // /proc/PID/stat: "pid (comm) state ...": comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

import type { AuditRecord, AuditSink } from "./record.js";

/** The part of Cloudflare's `D1Database` the sink uses (structural, so no Workers types needed). */
export interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): { run(): Promise<unknown> } };
}

/**
 * DDL for the audit table; run it once in a migration. One row per call, keyed by `call_id`:
 * inserted as `phase = 'intent'` (outcome `pending`) before the call is sent, then updated to its
 * outcome. A row still `pending` means the call may have been sent but its outcome was not recorded.
 */
export const AUDIT_TABLE_SQL = `CREATE TABLE IF NOT EXISTS toolpacks_audit (
  call_id TEXT PRIMARY KEY, phase TEXT NOT NULL, ts TEXT NOT NULL, run_id TEXT NOT NULL, principal TEXT, role TEXT, server TEXT NOT NULL, tool TEXT NOT NULL,
  kind TEXT NOT NULL, args_digest TEXT NOT NULL, decision TEXT NOT NULL, dry_run INTEGER NOT NULL,
  duration_ms REAL NOT NULL, result_bytes INTEGER NOT NULL, outcome TEXT NOT NULL, idempotency_key TEXT,
  position INTEGER NOT NULL, detail TEXT
)`;

/**
 * An audit sink writing one row per call to a D1 (or any SQLite with the D1 `prepare/bind/run`
 * shape) table named `toolpacks_audit` — create it with `AUDIT_TABLE_SQL`. `write` resolves when
 * the database acknowledged the statement and rejects when it failed (governance then does not
 * send the call). A table created before `call_id` existed must be migrated: writes to it fail,
 * closed.
 */
export function d1AuditSink(db: D1Like): AuditSink {
  return {
    async write(r: AuditRecord) {
      await db
        .prepare(
          `INSERT INTO toolpacks_audit (call_id, phase, ts, run_id, principal, role, server, tool, kind, args_digest, decision, dry_run, duration_ms, result_bytes, outcome, idempotency_key, position, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(call_id) DO UPDATE SET phase = excluded.phase, decision = excluded.decision,
             duration_ms = excluded.duration_ms, result_bytes = excluded.result_bytes,
             outcome = excluded.outcome, detail = excluded.detail`,
        )
        .bind(
          r.callId,
          r.phase,
          r.ts,
          r.runId,
          r.principal,
          r.role,
          r.server,
          r.tool,
          r.kind,
          r.argsDigest,
          r.decision,
          r.dryRun ? 1 : 0,
          r.durationMs,
          r.resultBytes,
          r.outcome,
          r.idempotencyKey,
          r.position,
          r.detail ?? null,
        )
        .run();
    },
  };
}

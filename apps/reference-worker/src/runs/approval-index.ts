/**
 * The D1 index of durable runs, for listing only: which runs are suspended and which of their
 * calls wait for a decision (the inspector's "waiting for approval" table). Each run's Durable
 * Object holds the signed continuation and stays the authority: a decision is recorded there and
 * checked against the continuation, never against these rows.
 */
import type { StoredContinuation } from "@toolpacks/runtime";

/** Who a run belongs to, kept beside its continuation. */
export interface RunOwner {
  principal: string;
  role: string;
  surface: "mcp" | "agent";
  /** The Worker's origin the run was started through (links in a resumed run's answer). */
  origin?: string;
}

interface IndexedBody {
  pending?: Array<{ position: number; name: string; args: unknown; reason?: string; moves?: unknown }>;
  decisions?: Record<string, { approved: boolean; by?: string }>;
}

/** Brings the run's index rows up to date with the continuation just stored. */
export async function indexContinuation(
  db: D1Database,
  record: StoredContinuation,
  owner: RunOwner,
): Promise<void> {
  const body = readBody(record.sealed);
  const ts = new Date(record.updatedAt).toISOString();
  const statements = [
    db
      .prepare(
        "INSERT OR REPLACE INTO app_durable_runs (run_id, status, updated_at, principal, role, surface) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .bind(record.runId, record.status, record.updatedAt, owner.principal, owner.role, owner.surface),
  ];
  for (const p of body.pending ?? []) {
    statements.push(
      db
        .prepare(
          "INSERT OR IGNORE INTO app_approvals (id, ts, run_id, position, principal, tool, args, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(
          `${record.runId}:${p.position}`,
          ts,
          record.runId,
          p.position,
          owner.principal,
          p.name,
          JSON.stringify(p.moves ? { moves: p.moves, args: p.args } : p.args),
          p.reason ?? null,
        ),
    );
  }
  for (const [position, d] of Object.entries(body.decisions ?? {})) {
    statements.push(
      db
        .prepare("UPDATE app_approvals SET status = ?, decided_by = ? WHERE id = ?")
        .bind(d.approved ? "approved" : "rejected", d.by ?? null, `${record.runId}:${position}`),
    );
  }
  if (record.status === "finished") {
    statements.push(
      db
        .prepare("UPDATE app_approvals SET status = 'settled' WHERE run_id = ? AND status = 'pending'")
        .bind(record.runId),
    );
  }
  await db.batch(statements);
}

/** Suspended and finished durable runs, newest first (the ContinuationStore's `list`). */
export async function listIndexedRuns(
  db: D1Database,
): Promise<Array<{ runId: string; status: StoredContinuation["status"]; updatedAt: number }>> {
  const rows = await db
    .prepare("SELECT run_id, status, updated_at FROM app_durable_runs ORDER BY updated_at DESC LIMIT 200")
    .all<{ run_id: string; status: StoredContinuation["status"]; updated_at: number }>();
  return rows.results.map((r) => ({ runId: r.run_id, status: r.status, updatedAt: r.updated_at }));
}

// The body is read without verifying its signature: these rows only list; nothing acts on them.
function readBody(sealed: string): IndexedBody {
  try {
    const envelope = JSON.parse(sealed) as { body?: unknown };
    return typeof envelope.body === "string" ? (JSON.parse(envelope.body) as IndexedBody) : {};
  } catch {
    return {};
  }
}

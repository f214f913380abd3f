/** Reads for the inspector: recent runs, one run with its audit timeline, calls waiting for approval. */

export interface RunSummary {
  run_id: string;
  ts: string;
  principal: string | null;
  role: string | null;
  surface: string;
  ok: number;
  error_code: string | null;
  wall_ms: number;
  code_mode_tokens: number;
  classic_tokens: number;
  calls: string;
}

export interface RunDetail extends RunSummary {
  program: string;
  result: string | null;
  error_message: string | null;
}

export interface AuditRow {
  position: number;
  server: string;
  tool: string;
  kind: string;
  decision: string;
  duration_ms: number;
  result_bytes: number;
  outcome: string;
  detail: string | null;
}

export interface ApprovalRow {
  id: string;
  ts: string;
  run_id: string;
  position: number;
  principal: string | null;
  tool: string;
  args: string;
  reason: string | null;
}

/** The 50 most recent runs, or only `principal`'s when given. */
export async function recentRuns(db: D1Database, principal?: string): Promise<RunSummary[]> {
  const cols =
    "run_id, ts, principal, role, surface, ok, error_code, wall_ms, code_mode_tokens, classic_tokens, calls";
  const stmt = principal
    ? db.prepare(`SELECT ${cols} FROM app_runs WHERE principal = ? ORDER BY ts DESC LIMIT 50`).bind(principal)
    : db.prepare(`SELECT ${cols} FROM app_runs ORDER BY ts DESC LIMIT 50`);
  return (await stmt.all<RunSummary>()).results;
}

/**
 * One run and its audit rows in call order, one row per position. A resumed durable run has
 * several rows at a position (the call deferred when the run suspended, its `replay` record when
 * answered from the ledger): the row of the call as sent or refused for good is shown.
 */
export async function runDetail(
  db: D1Database,
  runId: string,
): Promise<{ run?: RunDetail; audit: AuditRow[] }> {
  const run = await db.prepare("SELECT * FROM app_runs WHERE run_id = ?").bind(runId).first<RunDetail>();
  const rows = (
    await db
      .prepare(
        "SELECT position, server, tool, kind, decision, duration_ms, result_bytes, outcome, detail, phase FROM toolpacks_audit WHERE run_id = ? ORDER BY position, rowid",
      )
      .bind(runId)
      .all<AuditRow & { phase: string }>()
  ).results;
  const rank = (r: { phase: string; decision: string }) =>
    (r.phase === "replay" ? 0 : 2) + (r.decision === "deferred" ? 0 : 1);
  const byPosition = new Map<number, AuditRow & { phase: string }>();
  for (const row of rows) {
    const seen = byPosition.get(row.position);
    if (!seen || rank(row) >= rank(seen)) byPosition.set(row.position, row);
  }
  const audit = [...byPosition.values()].map(({ phase: _phase, ...row }) => row);
  return { run: run ?? undefined, audit };
}

/** Calls of suspended runs waiting for a decision (only `principal`'s runs when given). */
export async function pendingApprovals(db: D1Database, principal?: string): Promise<ApprovalRow[]> {
  const sql = `SELECT id, ts, run_id, position, principal, tool, args, reason FROM app_approvals WHERE status = 'pending'${principal ? " AND principal = ?" : ""} ORDER BY ts, position`;
  const stmt = principal ? db.prepare(sql).bind(principal) : db.prepare(sql);
  return (await stmt.all<ApprovalRow>()).results;
}

/** Whether the run ever suspended (it has a Durable Object holding its continuation). */
export async function isDurableRun(db: D1Database, runId: string): Promise<boolean> {
  return (
    (await db.prepare("SELECT 1 AS one FROM app_durable_runs WHERE run_id = ?").bind(runId).first()) !== null
  );
}

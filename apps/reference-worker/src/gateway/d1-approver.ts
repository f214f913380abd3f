/**
 * Approvals for operators' writes, across isolates: the call waits while a row in
 * `app_approvals` is pending; an admin decides on the run inspector. No answer within the
 * governance timeout counts as rejected (fail closed).
 */
import { type ApprovalRequest, type Approver, describeRequest } from "./governance.js";

const POLL_MS = 500;

/** An approver that records each request in D1 and polls for the admin's decision. */
export function d1Approver(db: D1Database): Approver {
  return async (request: ApprovalRequest) => {
    const id = crypto.randomUUID();
    await db
      .prepare(
        "INSERT INTO app_approvals (id, ts, run_id, position, principal, tool, args, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(
        id,
        new Date().toISOString(),
        request.runId,
        request.position,
        request.principal ?? null,
        request.name,
        // The whole call, money first (never cut: a cut could hide the amount the admin approves).
        describeRequest(request),
        request.reason ?? null,
      )
      .run();
    while (!request.signal.aborted) {
      const row = await db
        .prepare("SELECT status, decided_by FROM app_approvals WHERE id = ?")
        .bind(id)
        .first<{
          status: string;
          decided_by: string | null;
        }>();
      if (row && row.status !== "pending") {
        return {
          approved: row.status === "approved",
          reason: `${row.status} by ${row.decided_by ?? "an admin"}`,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await db
      .prepare("UPDATE app_approvals SET status = 'expired' WHERE id = ? AND status = 'pending'")
      .bind(id)
      .run();
    return { approved: false, reason: "no decision in time" };
  };
}

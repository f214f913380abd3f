import type { AuditFailure } from "../governance/audit/call-audit.js";

/**
 * What `toolpacks exec` prints when audit records could not be written: which calls were not
 * sent (retrying them is safe), and, above all, which calls WERE sent without their outcome in
 * the trail (re-running with the same run id replays them through idempotency keys instead of
 * writing twice).
 */
export function auditFailureReport(failures: readonly AuditFailure[], runId: string): string {
  const describe = (f: AuditFailure) =>
    `  ${f.record.server}.${f.record.tool} #${f.record.position}: ${f.message}`;
  const sent = failures.filter((f) => f.lost === "outcome");
  const notSent = failures.filter((f) => f.lost !== "outcome");
  const lines = [`toolpacks: the audit trail of run ${runId} is incomplete.`];
  if (notSent.length > 0) {
    lines.push(
      `${notSent.length} call(s) were NOT sent, or were refused, because their audit record could not be written (AUDIT_UNAVAILABLE):`,
      ...notSent.map(describe),
    );
  }
  if (sent.length > 0) {
    lines.push(
      `${sent.length} call(s) WERE sent and their intent is in the audit trail, but their outcome could not be written:`,
      ...sent.map(describe),
      `Do not re-run blindly: re-run with --run-id ${runId} so repeated writes are answered from their idempotency keys.`,
    );
  }
  lines.push("Fix the audit sink (the --audit file: disk full? permissions?) before running again.");
  return `${lines.join("\n")}\n`;
}

import type { ApprovalRequest } from "./approver.js";

/** One human-readable paragraph describing a call awaiting approval (arguments already redacted). */
export function describeRequest(request: Omit<ApprovalRequest, "signal">): string {
  const who = [request.principal && `principal ${request.principal}`, request.role && `role ${request.role}`]
    .filter(Boolean)
    .join(", ");
  const args = JSON.stringify(request.args) ?? "undefined";
  const shown = args.length > 600 ? `${args.slice(0, 600)}… (${args.length} chars)` : args;
  return [
    `Run ${request.runId}${who ? ` (${who})` : ""} wants to ${request.kind === "write" ? "WRITE" : "call"} ${request.name}${request.dryRun ? " (dry-run)" : ""}.`,
    request.reason ? `Policy: ${request.reason}` : undefined,
    request.programSummary ? `Program: ${request.programSummary}` : undefined,
    `Arguments: ${shown}`,
    request.idempotencyKey ? `Idempotency key: ${request.idempotencyKey}` : undefined,
  ]
    .filter(Boolean)
    .join("\n");
}

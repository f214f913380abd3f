import { canonicalJson } from "../idempotency/canonical.js";
import type { ApprovalRequest } from "./approver.js";
import { moneyLines } from "./money-lines.js";

/**
 * The text an approver reads about one call (terminal prompt, MCP elicitation). It never hides
 * anything: first what the call moves by its tool's declaration, then every money-looking value
 * with its path and their sum, then the whole
 * canonical arguments (the exact value that will be sent, keys sorted, never cut), so a long
 * string placed first cannot push an amount out of sight. Arguments are already redacted.
 */
export function describeRequest(request: Omit<ApprovalRequest, "signal">): string {
  const who = [request.principal && `principal ${request.principal}`, request.role && `role ${request.role}`]
    .filter(Boolean)
    .join(", ");
  const args = argumentsText(request.args);
  const money = moneyLines(request.args, request.moneyFields);
  const moneyText = money.lines.length
    ? `Money (${money.lines.length} value${money.lines.length === 1 ? "" : "s"}, amounts summing to ${money.sum}): ${money.lines
        .map((l) => `${l.path} = ${JSON.stringify(l.value)}`)
        .join("; ")}`
    : "Money: no money-looking field";
  return [
    `Run ${request.runId}${who ? ` (${who})` : ""} wants to ${request.kind === "write" ? "WRITE" : "call"} ${request.name}${request.dryRun ? " (dry-run)" : ""}.`,
    request.reason ? `Policy: ${request.reason}` : undefined,
    request.programSummary ? `Program: ${request.programSummary}` : undefined,
    movesText(request.moves),
    moneyText,
    `Arguments (in full, ${args.length} chars): ${args}`,
    request.idempotencyKey ? `Idempotency key: ${request.idempotencyKey}` : undefined,
  ]
    .filter(Boolean)
    .join("\n");
}

function movesText(moves: ApprovalRequest["moves"]): string | undefined {
  if (!moves) return undefined;
  if (!moves.declared) {
    return `Moves: not declared by the tool${moves.problem ? ` (${moves.problem})` : ""}; read the money values below.`;
  }
  if (moves.minor === undefined)
    return `Moves: cannot be counted (${moves.problem}); declared as ${moves.rule}.`;
  return `Moves: ${moves.minor} minor units${moves.currency ? ` ${moves.currency}` : ""} (declared as ${moves.rule}).`;
}

function argumentsText(args: unknown): string {
  try {
    return canonicalJson(args ?? {});
  } catch {
    // Not reachable for arguments that came through the pipeline (they are canonical already).
    return JSON.stringify(args) ?? "undefined";
  }
}

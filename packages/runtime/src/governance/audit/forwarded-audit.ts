/**
 * The audit of a request a source server makes of the run's MCP client during a tool call
 * (`roots/list`, `elicitation/create`, `sampling/createMessage`): written before it is sent, like a
 * call's intent (a sink that fails refuses it), then its outcome; a refused request is one record
 * with decision `deny`. The record names the method as its tool, under the call's server, run and
 * position; the request's parameters appear only as a digest (an elicitation message or a sampling
 * prompt may hold what the audit must not).
 */
import type { ToolCall } from "../../pipeline/types.js";
import type { ForwardedRequest } from "../../sources/client-peer.js";
import { sha256Hex } from "../idempotency/digest.js";
import type { PipelineContext } from "../middleware.js";
import { startCallAudit } from "./call-audit.js";

export async function auditForwarded(
  ctx: PipelineContext,
  call: ToolCall,
  request: ForwardedRequest,
): Promise<((outcome: { ok: boolean; error?: string }) => Promise<void>) | undefined> {
  const state = ctx.runs.forCall(call.runId, call.signal);
  const { principal, role } = ctx.policy.subject;
  let digest: string;
  try {
    digest = await sha256Hex(JSON.stringify(request.params));
  } catch {
    digest = "unserialisable";
  }
  const audit = startCallAudit(
    ctx.audit,
    {
      runId: call.runId,
      principal: principal ?? null,
      role: role ?? null,
      server: call.server,
      tool: request.method,
      kind: "read",
      argsDigest: digest,
      dryRun: false,
      idempotencyKey: null,
      position: call.position,
    },
    state.records,
  );
  const asker = `asked by ${call.server}.${call.tool} (call #${call.position})`;
  if (request.refusal) {
    await audit.refusal("deny", {
      code: request.refusal.code,
      message: `${asker}: ${request.refusal.message}`,
    });
    return undefined;
  }
  await audit.intent("allow", call.signal);
  return (outcome) =>
    audit.outcome(
      "allow",
      outcome.ok ? "ok" : "CLIENT_ERROR",
      0,
      outcome.ok ? asker : `${asker}: ${outcome.error ?? ""}`,
    );
}

import { type CanonicalArgs, ensureCanonicalArgs } from "../codec/canonical-call.js";
import type { RefusedCall, ToolCall, ToolCallMiddleware, ToolResult } from "../pipeline/types.js";
import type { ForwardedRequest } from "../sources/client-peer.js";
import { type Approver, askApprover } from "./approvals/approver.js";
import { movesForApprover } from "./approvals/moves-summary.js";
import { type AuditContext, startCallAudit } from "./audit/call-audit.js";
import { auditForwarded } from "./audit/forwarded-audit.js";
import type { AuditDecision } from "./audit/record.js";
import { entriesByPosition, planDivergence } from "./dry-run/match.js";
import type { DryRunPlan } from "./dry-run/plan.js";
import {
  ApprovalDeferredError,
  ApprovalRejectedError,
  DryRunUnsupportedError,
  type GovernanceError,
  InvalidArgumentsError,
  PlanDivergedError,
  PolicyDeniedError,
} from "./errors.js";
import { argsDigest } from "./idempotency/digest.js";
import { idempotencyKey } from "./idempotency/key.js";
import type { BudgetReservation } from "./policy/budget.js";
import { classifyTool } from "./policy/classify.js";
import type { ResolvedPolicy } from "./policy/evaluate.js";
import { qualify } from "./policy/pattern.js";
import { redactError } from "./redaction/redact-error.js";
import type { Redactor } from "./redaction/redactor.js";
import type { RunStates } from "./run-state.js";
import { META } from "./types.js";

/** Everything the call pipeline needs, assembled by `createGovernance`. */
export interface PipelineContext {
  policy: ResolvedPolicy;
  runs: RunStates;
  redactor: Redactor;
  approver: Approver;
  approvalTimeoutMs: number;
  audit: AuditContext;
  dryRun: boolean;
  plan?: DryRunPlan;
  /** Calls a durable run answers from its ledger: audited as one `replay` record, never as sent. */
  replayed?: (runId: string, position: number) => boolean;
}

/**
 * The governance middleware for one tool call, in this order: classify, derive the idempotency
 * key, policy (deny -> POLICY_DENIED), approved-plan check when committing, budgets, approval,
 * then `_meta` keys, the write-ahead audit record (durable, or the call is refused with
 * AUDIT_UNAVAILABLE), the real call, and its outcome record; the result's secrets are redacted.
 * Every refusal is audited and throws before `next` runs, so nothing reaches the server.
 * Every step reads the call's canonical arguments (`call.args`, made once at the bridge), and
 * `next` receives that same value.
 */
export function governanceMiddleware(ctx: PipelineContext): ToolCallMiddleware {
  return Object.assign(governCall(ctx), {
    refused: (call: RefusedCall) => auditRefused(ctx, call),
    forwarded: (call: ToolCall, request: ForwardedRequest) => auditForwarded(ctx, call, request),
  });
}

/**
 * The audit record of a call refused before governance saw it (too large, unreadable arguments,
 * over the run's in-flight bytes): one `outcome` record with decision `deny`, the code the
 * program got, and the arguments' size and digest (never the arguments). Nothing was sent.
 */
async function auditRefused(ctx: PipelineContext, call: RefusedCall): Promise<void> {
  const cls = classifyTool(ctx.policy.policy, call.server, call.tool, call.tool_info);
  const state = ctx.runs.forCall(call.runId, call.signal);
  const { principal, role } = ctx.policy.subject;
  const audit = startCallAudit(
    ctx.audit,
    {
      runId: call.runId,
      principal: principal ?? null,
      role: role ?? null,
      server: call.server,
      tool: call.tool,
      kind: cls.kind,
      argsDigest: call.argsDigest ?? "unread",
      dryRun: ctx.dryRun && cls.kind === "write",
      idempotencyKey: null,
      position: call.position,
    },
    state.records,
  );
  const size = call.code === "ARGUMENTS_TOO_LARGE" ? `at least ${call.argsBytes}` : `${call.argsBytes}`;
  await audit.refusal("deny", {
    code: call.code,
    message: `refused before it was sent (arguments: ${size} bytes${call.argsDigest ? `, sha-256 ${call.argsDigest}` : ", not read"}): ${call.message}`,
  });
}

function governCall(ctx: PipelineContext): ToolCallMiddleware {
  const planned = ctx.plan ? entriesByPosition(ctx.plan) : undefined;

  return async (call: ToolCall, next: (call: ToolCall) => Promise<ToolResult>): Promise<ToolResult> => {
    const name = qualify(call.server, call.tool);
    const cls = classifyTool(ctx.policy.policy, call.server, call.tool, call.tool_info);
    const isWrite = cls.kind === "write";
    // The bridge made the arguments canonical; a caller that built the call itself gets the same
    // rules here. What they refuse (a cycle, NaN, ...) is refused below, after the audit helpers exist.
    let args: CanonicalArgs | undefined;
    let argsProblem = "";
    try {
      args = ensureCanonicalArgs(call.args);
    } catch (error) {
      argsProblem = (error as Error).message;
    }
    const digest = args === undefined ? undefined : await argsDigest(args);
    const key = isWrite && args !== undefined ? await idempotencyKey({ ...call, args }) : null;
    const state = ctx.runs.forCall(call.runId, call.signal);
    const { principal, role } = ctx.policy.subject;

    const audit = startCallAudit(
      ctx.audit,
      {
        runId: call.runId,
        principal: principal ?? null,
        role: role ?? null,
        server: call.server,
        tool: call.tool,
        kind: cls.kind,
        argsDigest: digest ?? "unserialisable",
        dryRun: ctx.dryRun && isWrite,
        idempotencyKey: key,
        position: call.position,
      },
      state.records,
    );
    const refuse = async (decision: AuditDecision, error: GovernanceError): Promise<never> => {
      throw await audit.refusal(decision, error);
    };

    if (args === undefined || digest === undefined) {
      return refuse(
        "deny",
        new InvalidArgumentsError(`The arguments of ${name} cannot be sent: ${argsProblem}`),
      );
    }
    const verdict = ctx.policy.decide(name, cls.kind);
    if (verdict.effect === "deny") {
      return refuse(
        "deny",
        new PolicyDeniedError(
          `Policy denied ${name}: ${verdict.reason ?? `denied by the ${verdict.source} rules`}. Nothing was sent to the server; use a different tool or ask for a role that allows this one.`,
        ),
      );
    }
    const divergence =
      isWrite && ctx.plan && planned
        ? planDivergence(ctx.plan, planned, { ...call, argsDigest: digest, idempotencyKey: key! })
        : undefined;
    const inPlan = isWrite && planned !== undefined && divergence === undefined;
    if (divergence !== undefined) {
      return refuse(
        "deny",
        new PlanDivergedError(
          `${name} at position ${call.position} is not the write the approved dry-run plan holds for run ${ctx.plan?.runId}: ${divergence}. Nothing was sent; dry-run the program again and approve the new plan.`,
        ),
      );
    }
    if (isWrite && ctx.dryRun && !supportsDryRun(call.tool_info?._meta)) {
      return refuse(
        "deny",
        new DryRunUnsupportedError(
          `${name} cannot be dry-run: its server does not declare toolpacks dry-run support (no "toolpacks.dev/*" _meta), so sending it would really write. Nothing was sent.`,
        ),
      );
    }

    let reservation: BudgetReservation;
    try {
      reservation = state.budget.reserve(name, cls.kind, args, cls.moves);
    } catch (error) {
      return refuse("budget", error as GovernanceError);
    }

    let decision: AuditDecision = "allow";
    // In a dry-run a write is only simulated and its plan is what gets approved, but a read really
    // runs, so its approval rule applies as in any run.
    const simulated = ctx.dryRun && isWrite;
    if (verdict.effect === "require_approval" && !simulated) {
      if (inPlan) decision = "approved";
      else {
        const outcome = await askApprover(
          ctx.approver,
          {
            runId: call.runId,
            position: call.position,
            principal,
            role,
            server: call.server,
            tool: call.tool,
            name,
            kind: cls.kind,
            args: ctx.redactor.value(args, { pii: true }),
            argsDigest: digest,
            ...movesForApprover(cls.moves, args),
            idempotencyKey: key ?? undefined,
            dryRun: false,
            reason: verdict.reason,
            programSummary: state.summary,
          },
          { timeoutMs: ctx.approvalTimeoutMs, signal: call.signal },
        );
        if (!outcome.approved) {
          reservation.release();
          if (outcome.deferred)
            return refuse(
              "deferred",
              new ApprovalDeferredError(
                `Approval of ${name} is deferred: ${outcome.reason ?? "the run is suspended until a human decides"}. Nothing was sent.`,
              ),
            );
          return refuse(
            "rejected",
            new ApprovalRejectedError(
              `Approval rejected for ${name}${outcome.reason ? `: ${outcome.reason}` : ""}. Nothing was sent; continue without this call or report that it needs approval.`,
            ),
          );
        }
        decision = "approved";
      }
    }

    const meta: Record<string, unknown> = { ...call.meta };
    if (key) meta[META.idempotencyKey] = key;
    if (isWrite && ctx.dryRun) meta[META.dryRun] = true;
    if (principal) meta[META.principal] = principal;

    if (ctx.replayed?.(call.runId, call.position))
      return replayCall(ctx, { ...call, args, meta }, next, { audit, decision, reservation });

    // Write-ahead: the intent is durable before the call leaves the host, or the call is not sent.
    try {
      await audit.intent(decision, call.signal);
    } catch (error) {
      reservation.release();
      throw error;
    }
    let result: ToolResult;
    try {
      result = await next({ ...call, args, meta });
    } catch (error) {
      const safe = redactError(error, ctx.redactor);
      await audit.outcome(decision, safe.code ?? "TOOL_ERROR", 0, safe.message);
      throw safe;
    }
    reservation.settle(result._meta?.[META.moved]);
    const redacted = ctx.redactor.toolResult(result);
    const resultBytes = byteLength(redacted);
    if (isWrite && ctx.dryRun) {
      state.plan.push({
        position: call.position,
        server: call.server,
        tool: call.tool,
        args: ctx.redactor.value(args, { pii: true }),
        argsDigest: digest,
        idempotencyKey: key!,
        wouldChange: redacted.structuredContent ?? redacted.content,
        isError: redacted.isError === true,
      });
    }
    // The call happened: a failed outcome write is reported to the host, never to the program as
    // a failure (it would retry a write that was made).
    await audit.outcome(decision, redacted.isError ? "TOOL_ERROR" : "ok", resultBytes);
    return redacted;
  };
}

/**
 * A call a resumed durable run answers from its ledger (`next` does not reach the server): the
 * earlier attempt's intent and outcome records are the call that was sent, so this attempt writes
 * one `replay` record with the answer the program gets again, and no intent.
 */
async function replayCall(
  ctx: PipelineContext,
  call: ToolCall,
  next: (call: ToolCall) => Promise<ToolResult>,
  step: { audit: ReturnType<typeof startCallAudit>; decision: AuditDecision; reservation: BudgetReservation },
): Promise<ToolResult> {
  const { audit, decision, reservation } = step;
  let result: ToolResult;
  try {
    result = await next(call);
  } catch (error) {
    const safe = redactError(error, ctx.redactor);
    await audit.replay(decision, safe.code ?? "TOOL_ERROR", 0, safe.message);
    throw safe;
  }
  reservation.settle(result._meta?.[META.moved]);
  const redacted = ctx.redactor.toolResult(result);
  await audit.replay(decision, redacted.isError ? "TOOL_ERROR" : "ok", byteLength(redacted));
  return redacted;
}

/** Packs built with pack-kit advertise `toolpacks.dev/*` keys in their tool `_meta`. */
function supportsDryRun(meta: Record<string, unknown> | undefined): boolean {
  return meta !== undefined && Object.keys(meta).some((k) => k.startsWith("toolpacks.dev/"));
}
function byteLength(value: unknown): number {
  try {
    const json = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    return json === undefined ? 0 : new TextEncoder().encode(json).length;
  } catch {
    return 0; // a size is informative; it must never cost the call its outcome record
  }
}

/**
 * `execute` for a 2026-07-28 client over multi round-trip requests: start a run whose approvals
 * park it (`startApprovalRun`), or resume a parked run with the client's signed state token and
 * decisions (`resumeApprovalRun`). Either way the request waits for the run's next event: a
 * batch of calls to approve, or its end.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  type InputRequiredResult,
  inputRequired,
  type ServerContext,
} from "@modelcontextprotocol/server";
import type { CodeMode, ExecuteResult } from "../code-mode.js";
import type { Approver } from "../governance/approvals/approver.js";
import { describeRequest } from "../governance/approvals/describe.js";
import type { SuspendedRun } from "../governance/durable/durable-runs.js";
import type { ApprovalRun, ApprovalRunEvent, GatewayApprovals } from "./gateway-approvals.js";
import type { RunQueue } from "./run-queue.js";

/** What one `execute` request brings to an approval run. */
export interface ApprovalAttach {
  approvals: GatewayApprovals;
  cm: CodeMode;
  code: string;
  typecheck: boolean;
  /** The client's fairness key (the run queue's, and part of the token's binding). */
  client: string;
  extra: ServerContext;
  runQueue?: RunQueue;
  onExecute: (run: {
    runId: string;
    extra: ServerContext;
    canElicit: boolean;
    approver?: Approver;
  }) => (() => void) | undefined;
  /** Called when the run leaves the queue and starts. */
  onStart: () => void;
}

/**
 * Starts a run (through the run queue, where it holds its slot while parked, so parked runs count
 * against the queue's bounds) and waits for its first event.
 */
export function startApprovalRun(a: ApprovalAttach): Promise<ApprovalRunEvent> {
  const runId = crypto.randomUUID();
  const run = a.approvals.startRun(runId, a.client, a.code);
  const task = async (): Promise<ExecuteResult> => {
    a.onStart();
    const done = a.onExecute({ runId, extra: a.extra, canElicit: true, approver: run.approver });
    try {
      return await a.cm.execute(a.code, { typecheck: a.typecheck, signal: run.signal, runId });
    } finally {
      done?.();
    }
  };
  run.settle(a.runQueue ? a.runQueue.run(a.client, task, a.extra.mcpReq.signal) : task());
  return attach(run, a.extra.mcpReq.signal);
}

/**
 * Resumes the parked run `token` names with the decisions in this retry's `inputResponses`, and
 * waits for its next event. Throws `ApprovalStateError` (nothing approved, the run still parked)
 * when the token is refused.
 */
export async function resumeApprovalRun(token: string, a: ApprovalAttach): Promise<ApprovalRunEvent> {
  const run = await a.approvals.claim(token, a.code, a.client);
  a.onStart();
  run.answer(a.extra.mcpReq.inputResponses);
  return attach(run, a.extra.mcpReq.signal);
}

/** Waits for the run's next event; the client cancelling this request cancels the run. */
async function attach(run: ApprovalRun, signal: AbortSignal): Promise<ApprovalRunEvent> {
  const onAbort = () => run.cancel("the client cancelled the execute request");
  if (signal.aborted) onAbort();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await run.next();
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** Whether a 2026-07-28 request's envelope declares elicitation among the client's capabilities. */
export function declaresElicitation(extra: ServerContext): boolean {
  const envelope = extra.mcpReq.envelope as Record<string, { elicitation?: unknown } | undefined> | undefined;
  return envelope?.[CLIENT_CAPABILITIES_META_KEY]?.elicitation !== undefined;
}

/** The 2026-07-28 protocol revisions and later serve approvals over multi round-trip requests. */
export function isMrtrRevision(version: string | undefined): boolean {
  return version !== undefined && version >= "2026-07-28";
}

/**
 * The `input_required` answer for a batch: one form elicitation per call (described as every
 * approver describes a call, numbered when the calls were made together) and the signed state
 * token the client echoes back with its answers.
 */
export function approvalQuestions(event: Extract<ApprovalRunEvent, { kind: "batch" }>): InputRequiredResult {
  const of = event.calls.length;
  return inputRequired({
    inputRequests: Object.fromEntries(
      event.calls.map((call, i) => [
        call.key,
        inputRequired.elicit({
          mode: "form",
          message: `${of > 1 ? `Approval ${i + 1} of ${of} (these calls were made together). ` : ""}${describeRequest(call.request)}`,
          requestedSchema: {
            type: "object",
            properties: {
              approve: { type: "boolean", title: "Approve this call", description: call.request.name },
            },
            required: ["approve"],
          },
        }),
      ]),
    ),
    requestState: event.token,
  });
}

/**
 * `execute`'s answer for a run that suspended at its approvals (a client that could not be
 * asked): not a result, so an error for the model, with the run id and every pending call.
 */
export function suspendedAnswer(run: SuspendedRun) {
  const n = run.pending.length;
  const error = {
    code: "APPROVAL_PENDING",
    message: `Run ${run.runId} is suspended: ${n} call${n === 1 ? "" : "s"} (${run.pending.map((p) => p.name).join(", ")}) need${n === 1 ? "s" : ""} approval and this client cannot be asked, so nothing pending was sent. A person approves with \`toolpacks approve ${run.runId} --state DIR\` (or rejects with \`toolpacks reject\`), then \`toolpacks resume ${run.runId} --state DIR\` finishes the run.`,
  };
  const pending = run.pending.map(({ position, name, kind, args, idempotencyKey, reason }) => ({
    position,
    name,
    kind,
    args,
    ...(idempotencyKey ? { idempotencyKey } : {}),
    ...(reason ? { reason } : {}),
  }));
  const logs = run.logs.length ? { logs: run.logs } : {};
  const answer = { ok: false, status: "suspended", run_id: run.runId, pending, error, ...logs };
  return { content: [{ type: "text" as const, text: JSON.stringify(answer) }], isError: true };
}

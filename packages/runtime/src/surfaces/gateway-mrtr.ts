/**
 * `execute` for a 2026-07-28 client over multi round-trip requests: start a run whose approvals
 * park it (`startApprovalRun`), or resume a parked run with the client's signed state token and
 * decisions (`resumeApprovalRun`). Either way the request waits for the run's next event: a
 * batch of calls to approve, or its end.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  type InputRequest,
  type InputRequiredResult,
  inputRequired,
  type ServerContext,
} from "@modelcontextprotocol/server";
import type { CodeMode, ExecuteResult } from "../code-mode.js";
import type { Approver } from "../governance/approvals/approver.js";
import { describeRequest } from "../governance/approvals/describe.js";
import type { SuspendedRun } from "../governance/durable/durable-runs.js";
import type { ForwardedCapabilities } from "../sources/client-peer.js";
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
  /** Governance's hook (unset: no approvals; the run parks only for its sources' requests). */
  onExecute?: (run: {
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
    const capabilities = declaredForwarding(a.extra);
    const canElicit = capabilities.elicitation !== undefined;
    // Approvals are asked only of a client that can answer elicitation; otherwise governance
    // treats the run as one whose client cannot be asked.
    const done = a.onExecute?.({
      runId,
      extra: a.extra,
      canElicit,
      ...(canElicit ? { approver: run.approver } : {}),
    });
    try {
      return await a.cm.execute(a.code, {
        typecheck: a.typecheck,
        signal: run.signal,
        runId,
        // The sources' roots / elicitation / sampling requests ride this run's `input_required` rounds.
        peer: run.peer(capabilities),
      });
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
  return declaredForwarding(extra).elicitation !== undefined;
}

/**
 * What a 2026-07-28 request's envelope declares of roots, elicitation and sampling (the client's
 * capabilities travel with each request): the requests its run's sources may forward to it.
 */
export function declaredForwarding(extra: ServerContext): ForwardedCapabilities {
  const envelope = extra.mcpReq.envelope as Record<string, Record<string, unknown> | undefined> | undefined;
  const declared = envelope?.[CLIENT_CAPABILITIES_META_KEY];
  const capabilities: ForwardedCapabilities = {};
  if (!declared || typeof declared !== "object") return capabilities;
  for (const key of ["roots", "elicitation", "sampling"] as const) {
    const value = declared[key];
    if (value && typeof value === "object") capabilities[key] = value as Record<string, unknown>;
  }
  return capabilities;
}

/** The 2026-07-28 protocol revisions and later serve approvals over multi round-trip requests. */
export function isMrtrRevision(version: string | undefined): boolean {
  return version !== undefined && version >= "2026-07-28";
}

/**
 * The `input_required` answer for a batch: one form elicitation per call (described as every
 * approver describes a call, numbered when the calls were made together), the requests the run's
 * sources made of the client (as they made them, under their own keys), and the signed state
 * token the client echoes back with its answers.
 */
export function approvalQuestions(event: Extract<ApprovalRunEvent, { kind: "batch" }>): InputRequiredResult {
  const of = event.calls.length;
  const asks = event.asks.map((ask) => [ask.key, { method: ask.method, params: ask.params } as InputRequest]);
  return inputRequired({
    inputRequests: Object.fromEntries([
      ...asks,
      ...event.calls.map((call, i) => [
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
    ]),
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

/**
 * Code mode whose runs suspend at approvals: `execute` runs the program as a durable run
 * (`onApproval: "suspend"`), so a call that needs an approver's decision stops the run and stores
 * its signed continuation in the run's Durable Object instead of holding the request open. The
 * caller gets an `APPROVAL_PENDING` result naming the run and its pending calls (one batch for
 * calls made in parallel); the run resumes when an approver decides on the inspector.
 */
import type { CodeMode, DurableRuns, ExecuteOptions, ExecuteResult, SuspendedRun } from "@toolpacks/runtime";

/** What the facade reports for each run that came back (finished or suspended). */
export type RunOutcomeSink = (
  outcome: { status: "finished" | "suspended"; result: ExecuteResult },
  program: string,
) => Promise<void>;

/**
 * Wraps `codeMode` (built with `runs.hooks` and attached to `runs`): every method is the code
 * mode's own except `execute`. `lastResult(runId)` is what the code mode returned for the run's
 * last execution (the calls answered before a suspension).
 */
export function suspendingCodeMode(
  codeMode: CodeMode,
  runs: DurableRuns,
  options: {
    lastResult: (runId: string) => ExecuteResult | undefined;
    inspectorUrl: (runId: string) => string;
    onOutcome: RunOutcomeSink;
  },
): CodeMode {
  const execute = async (code: string, execOptions: ExecuteOptions = {}): Promise<ExecuteResult> => {
    const { sandboxPrologue: _ignored, ...rest } = execOptions;
    const started = performance.now();
    const outcome = await runs.execute(code, { ...rest, onApproval: "suspend" });
    if (outcome.status === "finished") {
      await options.onOutcome({ status: "finished", result: outcome.result }, code);
      return outcome.result;
    }
    const result = suspendedResult(outcome, {
      stopped: options.lastResult(outcome.runId),
      wallMs: performance.now() - started,
      url: options.inspectorUrl(outcome.runId),
    });
    await options.onOutcome({ status: "suspended", result }, code);
    return result;
  };
  return new Proxy(codeMode, {
    get(target, key) {
      if (key === "execute") return execute;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * A suspended run as code mode's result: not ok, `APPROVAL_PENDING`, the pending batch in
 * `result`, and the calls answered before the stop (the pending ones were not sent).
 */
export function suspendedResult(
  run: SuspendedRun,
  seen: { stopped?: ExecuteResult; wallMs: number; url: string },
): ExecuteResult {
  const n = run.pending.length;
  const pending = run.pending.map(({ position, name, kind, args, reason }) => ({
    position,
    name,
    kind,
    args,
    ...(reason ? { reason } : {}),
  }));
  // The stopped run recorded each pending call as failed (deferred, then aborted); they were never
  // sent, so they are left out: the last failed record of each pending call's tool, once per call.
  const left = new Map<string, number>();
  for (const p of run.pending) left.set(p.name, (left.get(p.name) ?? 0) + 1);
  const calls = [...(seen.stopped?.calls ?? [])]
    .reverse()
    .filter((c) => {
      const name = `${c.server}.${c.tool}`;
      const n = left.get(name) ?? 0;
      if (c.ok || n === 0) return true;
      left.set(name, n - 1);
      return false;
    })
    .reverse();
  return {
    ok: false,
    result: { status: "suspended", run_id: run.runId, pending, approve_at: seen.url },
    logs: run.logs,
    calls,
    error: {
      code: "APPROVAL_PENDING",
      message: `Run ${run.runId} is suspended: ${n} call${n === 1 ? "" : "s"} (${run.pending.map((p) => `#${p.position} ${p.name}`).join(", ")}) need${n === 1 ? "s" : ""} an approver's decision, so nothing pending was sent. An approver decides on the run inspector (${seen.url}); the run then resumes from where it stopped, each write is sent once, and its result shows on that page. Do not send the program again: tell the user it waits for approval.`,
    },
    stats: {
      runId: run.runId,
      executor: seen.stopped?.stats.executor ?? "worker-loader",
      wallMs: seen.wallMs,
      toolCalls: calls.length,
      resultBytes: 0,
      logBytes: seen.stopped?.stats.logBytes ?? 0,
    },
  };
}

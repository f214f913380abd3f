import { type Tracer, trace } from "@opentelemetry/api";
import type { PreflightVerdict, ProgramInfo, ToolCallMiddleware } from "../pipeline/types.js";
import type { Approver } from "./approvals/approver.js";
import type { AuditFailure } from "./audit/call-audit.js";
import { type AuditRecord, type AuditSink, fanOutSink } from "./audit/record.js";
import { buildPlan, type DryRunPlan } from "./dry-run/plan.js";
import { governanceMiddleware } from "./middleware.js";
import { type ResolvedPolicy, resolvePolicy } from "./policy/evaluate.js";
import { parsePolicy } from "./policy/load.js";
import type { Policy, PolicyInput } from "./policy/schema.js";
import { preflightProgram } from "./preflight/preflight.js";
import { createRedactor, type Redactor } from "./redaction/redactor.js";
import { RunStates } from "./run-state.js";
import type { PreflightReport } from "./types.js";

/**
 * How to govern runs. Every field is optional. With no policy, reads are allowed and every write
 * needs approval; with no approver, approvals are rejected, so by default no write is sent.
 */
export interface GovernanceOptions {
  /** Policy object (validated here) or an already parsed one. Default: reads allowed, writes need approval. */
  policy?: Policy | PolicyInput;
  /** Who runs the program (audit, principal rules, `_meta["toolpacks.dev/principal"]`). */
  principal?: string;
  /** Role whose rules and budgets apply; must exist in the policy. */
  role?: string;
  /** Deny every write, whatever the policy says (preflight refuses programs that reference one). */
  readOnly?: boolean;
  /**
   * Every write needs the approver's yes, even one the policy allows (a denied write stays
   * denied). `toolpacks exec --approve deny` sets it with `rejectAll`, so no write leaves the host
   * while reads still run.
   */
  approveEveryWrite?: boolean;
  /** Decides calls whose rule says `require_approval`. Default: reject them all (fail closed). */
  approver?: Approver;
  /** How long one call waits for its approver before it counts as rejected. Default 60 s. */
  approvalTimeoutMs?: number;
  /**
   * Where audit records go (one or several sinks); records are also kept per run in memory. Each
   * call's intent is written (and awaited) before the call is sent; when that fails the call is
   * not sent and the program gets `AUDIT_UNAVAILABLE`.
   */
  audit?: AuditSink | AuditSink[];
  /** How long one audit write may take before it counts as failed. Default 10 s. */
  auditTimeoutMs?: number;
  /**
   * Told about every record the sink could not write, above all an `outcome` lost after its call
   * was sent (the program still gets its result: telling it the call failed would make it retry a
   * write that happened). Default: a `console.error` line. The CLI reports these and exits 1.
   */
  onAuditFailure?: (failure: AuditFailure) => void;
  /** OpenTelemetry tracer for one span per call; default the global `@toolpacks/runtime` tracer, `false` for none. */
  tracer?: Tracer | false;
  /** Secret values to hide from results, errors, logs and audit lines. */
  secrets?: string[];
  /** Field names whose values are hidden from errors, logs, approvals, plans and audit lines. */
  piiFields?: string[];
  /** Simulate writes: they carry `_meta["toolpacks.dev/dryRun"]: true` and are collected into a plan. */
  dryRun?: boolean;
  /** Commit an approved dry-run plan: only its writes (same run id, same keys) may be sent, pre-approved. */
  plan?: DryRunPlan;
  /** Monotonic clock in ms for durations (tests). */
  now?: () => number;
  /**
   * Whether a call is answered from a durable run's ledger instead of being sent (set by
   * `createDurableRuns`): such a call gets one `replay` audit record and no `intent`.
   */
  replayed?: (runId: string, position: number) => boolean;
}

/** A governance instance: plug `middleware` and `preflight` into `createCodeMode`. */
export interface Governance {
  /** The host-side tool-call middleware (contracts section 2). */
  readonly middleware: ToolCallMiddleware;
  /** The preflight hook for `createCodeMode`: refuses programs that reference denied tools. */
  preflight(program: ProgramInfo): PreflightVerdict;
  /** What preflight found (tools by kind, the "this program may write: ..." summary), without refusing. */
  analyze(program: Pick<ProgramInfo, "js" | "tools">): PreflightReport;
  /** The redactor built from `secrets` and `piiFields`; apply it to anything else you print. */
  readonly redactor: Redactor;
  /**
   * Redacts a run's output before anyone sees it: secrets everywhere (return value, logs, error),
   * PII fields too in `logs` and `error`. Catches a secret the program rebuilt or printed.
   */
  redactOutput<T>(output: T): T;
  readonly policy: ResolvedPolicy;
  readonly dryRun: boolean;
  /** The writes a dry-run collected for a run so far, ordered by position. */
  planFor(runId: string): DryRunPlan;
  /** Audit records of a run so far. */
  recordsFor(runId: string): AuditRecord[];
  /**
   * Flushes the audit sinks and forgets the run's budgets and plan; returns its plan and records.
   * Runs also end on their own when code mode finishes them (the run's signal aborts): their
   * state then stays readable here, `planFor` and `recordsFor` until the oldest of the last 256
   * ended runs are forgotten, so calling `endRun` right after `execute` always finds it.
   */
  endRun(runId: string): Promise<{ plan: DryRunPlan; records: AuditRecord[] }>;
  /** How many runs' state is held: running (never evicted), ended (bounded), prepared by preflight (bounded). */
  runCounts(): { running: number; ended: number; prepared: number };
}

/**
 * Builds governance for a principal and role. Validates the policy (throws `PolicyInvalidError`)
 * and the role (throws `GovernanceUsageError` for a role the policy does not define).
 */
export function createGovernance(options: GovernanceOptions = {}): Governance {
  const policy = resolvePolicy(
    parsePolicy(options.policy ?? {}),
    { principal: options.principal, role: options.role },
    { readOnly: options.readOnly, approveEveryWrite: options.approveEveryWrite },
  );
  const redactor = createRedactor({ secrets: options.secrets, piiFields: options.piiFields });
  const runs = new RunStates(policy.budgets);
  const sinks =
    options.audit === undefined ? [] : Array.isArray(options.audit) ? options.audit : [options.audit];
  const sink = sinks.length === 0 ? undefined : sinks.length === 1 ? sinks[0] : fanOutSink(...sinks);
  const dryRun = options.dryRun === true;
  const middleware = governanceMiddleware({
    policy,
    runs,
    redactor,
    approver: options.approver ?? noApprover,
    approvalTimeoutMs: options.approvalTimeoutMs ?? 60_000,
    ...(options.replayed ? { replayed: options.replayed } : {}),
    audit: {
      sink,
      tracer:
        options.tracer === false ? undefined : (options.tracer ?? trace.getTracer("@toolpacks/runtime")),
      redactor,
      now: options.now ?? (() => performance.now()),
      timeoutMs: options.auditTimeoutMs ?? 10_000,
      onFailure: options.onAuditFailure ?? reportAuditFailure,
    },
    dryRun,
    plan: options.plan,
  });
  const analyze = (program: Pick<ProgramInfo, "js" | "tools">): PreflightReport => {
    const report = preflightProgram(program, policy);
    return report.error
      ? { ...report, error: { ...report.error, message: redactor.text(report.error.message, { pii: true }) } }
      : report;
  };
  return {
    middleware,
    analyze,
    preflight: (program) => {
      const report = analyze(program);
      runs.prepare(program.runId, report.summary);
      return report.error
        ? { allow: false, code: report.error.code, reason: report.error.message }
        : { allow: true };
    },
    redactor,
    redactOutput: (output) => redactOutput(output, redactor),
    policy,
    dryRun,
    planFor: (runId) => buildPlan(runId, runs.peek(runId)?.plan ?? []),
    recordsFor: (runId) => [...(runs.peek(runId)?.records ?? [])],
    runCounts: () => runs.counts(),
    async endRun(runId) {
      await sink?.flush?.();
      const state = runs.take(runId);
      return { plan: buildPlan(runId, state?.plan ?? []), records: state?.records ?? [] };
    },
  };
}

/** The default: nobody to ask, so every call that needs approval is refused, saying how to allow it. */
const noApprover: Approver = (request) => ({
  approved: false,
  reason: `${request.name} needs approval and no approver is configured (writes need approval unless the policy allows them); pass an approver, or a policy whose rules allow this tool`,
});

function reportAuditFailure(failure: AuditFailure): void {
  const r = failure.record;
  const what =
    failure.lost === "outcome"
      ? "was sent, but its outcome is not in the audit trail"
      : failure.lost === "replay"
        ? "was answered from the run's ledger, but that answer is not in the audit trail"
        : failure.lost === "intent"
          ? "was not sent: its audit record could not be written"
          : "was refused, but the refusal is not in the audit trail";
  console.error(
    `toolpacks audit: ${r.server}.${r.tool} (run ${r.runId}, call #${r.position}) ${what}: ${failure.message}`,
  );
}

function redactOutput<T>(output: T, redactor: Redactor): T {
  const safe = redactor.value(output);
  if (safe === null || typeof safe !== "object" || Array.isArray(safe)) return safe;
  const record = safe as Record<string, unknown>;
  for (const key of ["logs", "error"]) {
    if (key in record) record[key] = redactor.value(record[key], { pii: true });
  }
  return safe;
}

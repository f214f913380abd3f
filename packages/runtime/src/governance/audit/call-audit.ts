import type { Tracer } from "@opentelemetry/api";
import { AuditUnavailableError } from "../errors.js";
import type { Redactor } from "../redaction/redactor.js";
import { recordSpan } from "./otel.js";
import type { AuditDecision, AuditRecord, AuditSink } from "./record.js";

/** A record governance could not write, reported to `GovernanceOptions.onAuditFailure`. */
export interface AuditFailure {
  /**
   * Which record was lost: `intent` (the call was NOT sent), `outcome` (the call WAS sent; its
   * intent record is in the trail, its outcome is not) or `refusal` (the call was refused and not
   * sent; the refusal is not in the trail).
   */
  lost: "intent" | "outcome" | "replay" | "refusal";
  record: AuditRecord;
  /** Redacted reason the sink gave. */
  message: string;
}

/** What the audit of every call shares (assembled by `createGovernance`). */
export interface AuditContext {
  sink?: AuditSink;
  tracer?: Tracer;
  redactor: Redactor;
  now: () => number;
  /** How long a sink write may take before it counts as failed. */
  timeoutMs: number;
  onFailure: (failure: AuditFailure) => void;
}

/** The fields of a call's records that do not change between its intent and its outcome. */
export type CallFacts = Pick<
  AuditRecord,
  | "runId"
  | "principal"
  | "role"
  | "server"
  | "tool"
  | "kind"
  | "argsDigest"
  | "dryRun"
  | "idempotencyKey"
  | "position"
>;

/** The audit of one call: write-ahead intent, then outcome, or a single refusal record. */
export interface CallAudit {
  /**
   * Durably writes the intent record. Throws `AuditUnavailableError` when the sink cannot (or
   * the call is cancelled meanwhile): the caller must then not send the call.
   */
  intent(decision: AuditDecision, signal?: AbortSignal): Promise<void>;
  /** Writes the outcome record of a call that was sent. Never throws: the call already happened. */
  outcome(decision: AuditDecision, outcome: string, resultBytes: number, detail?: string): Promise<void>;
  /**
   * Writes the one record of a call answered from a durable run's ledger (not sent). Never
   * throws: like an outcome, it records what the program already received.
   */
  replay(decision: AuditDecision, outcome: string, resultBytes: number, detail?: string): Promise<void>;
  /**
   * Records a refusal and returns the error to throw. The refusal stands when the sink fails:
   * the error's message then also says the refusal is not in the audit trail.
   */
  refusal<E extends { code: string; message: string }>(decision: AuditDecision, error: E): Promise<E>;
}

/**
 * Starts the audit of one call. Its final record (outcome or refusal: one per call) also goes to
 * `keep`, the run's in-memory records, and to one OpenTelemetry span; the sink gets every record.
 */
export function startCallAudit(ctx: AuditContext, facts: CallFacts, keep: AuditRecord[]): CallAudit {
  const callId = crypto.randomUUID();
  const startedAt = ctx.now();
  const startedWall = Date.now();
  const build = (
    phase: AuditRecord["phase"],
    decision: AuditDecision,
    outcome: string,
    resultBytes: number,
    detail?: string,
  ): AuditRecord => ({
    callId,
    phase,
    ts: new Date(startedWall).toISOString(),
    ...facts,
    decision,
    durationMs: phase === "intent" ? 0 : Math.max(0, ctx.now() - startedAt),
    resultBytes,
    outcome,
    ...(detail === undefined ? {} : { detail: ctx.redactor.text(detail, { pii: true }) }),
  });
  /** Resolves to the failure message, or undefined once the record is durable. */
  const write = async (record: AuditRecord, signal?: AbortSignal): Promise<string | undefined> => {
    if (record.phase !== "intent") keep.push(record);
    if (record.phase !== "intent" && ctx.tracer) {
      try {
        recordSpan(record, startedWall, ctx.tracer);
      } catch {
        // A broken tracer must not change what happens to the call.
      }
    }
    if (!ctx.sink) return undefined;
    try {
      await withDeadline(
        Promise.resolve().then(() => ctx.sink!.write(record)),
        ctx.timeoutMs,
        signal,
      );
      return undefined;
    } catch (error) {
      const message = ctx.redactor.text(describe(error), { pii: true });
      return message;
    }
  };
  const report = (lost: AuditFailure["lost"], record: AuditRecord, message: string) => {
    try {
      ctx.onFailure({ lost, record, message });
    } catch {
      // A throwing reporter must not turn into an unhandled rejection or change the call's fate.
    }
  };
  const name = `${facts.server}.${facts.tool}`;

  return {
    async intent(decision, signal) {
      const record = build("intent", decision, "pending", 0);
      const failed = await write(record, signal);
      if (failed === undefined) return;
      report("intent", record, failed);
      throw new AuditUnavailableError(
        `Audit unavailable, so ${name} was not sent: its audit record could not be written first (${failed}). Nothing reached the server, so retrying is safe once the audit sink works again (check the --audit file or the audit database).`,
      );
    },
    async outcome(decision, outcome, resultBytes, detail) {
      const record = build("outcome", decision, outcome, resultBytes, detail);
      const failed = await write(record);
      if (failed !== undefined) report("outcome", record, failed);
    },
    async replay(decision, outcome, resultBytes, detail) {
      const record = build("replay", decision, outcome, resultBytes, detail);
      const failed = await write(record);
      if (failed !== undefined) report("replay", record, failed);
    },
    async refusal(decision, error) {
      error.message = ctx.redactor.text(error.message, { pii: true });
      const record = build("outcome", decision, error.code, 0, error.message);
      const failed = await write(record);
      if (failed !== undefined) {
        report("refusal", record, failed);
        error.message += ` (This refusal could not be written to the audit trail: ${failed}.)`;
      }
      return error;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  try {
    return String(error);
  } catch {
    return "unknown error";
  }
}

/** Settles with `work`, or rejects after `ms` or when `signal` aborts (leaving `work` to finish unobserved). */
async function withDeadline(work: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  work.catch(() => undefined); // a late failure after the deadline must not be unhandled
  try {
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the audit sink did not answer within ${ms} ms`)), ms);
        if (signal) {
          onAbort = () => reject(new Error("the call was cancelled before its audit record was written"));
          if (signal.aborted) onAbort();
          else signal.addEventListener("abort", onAbort, { once: true });
        }
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

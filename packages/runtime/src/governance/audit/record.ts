import { z } from "zod";

/** What governance decided about a call. */
export const AuditDecisionSchema = z.enum(["allow", "deny", "approved", "rejected", "deferred", "budget"]);

/**
 * When a record was written: `intent` before the call left the host (its outcome is `pending`),
 * `outcome` after it returned or failed, or when governance refused it (then it is the only
 * record of the call: a refused call is never sent). `replay`: a resumed durable run re-executed
 * a call an earlier attempt of the same run made, and it was answered from the run's ledger
 * without being sent again (the earlier attempt's records are the call that was sent); it is the
 * only record of that answer, with the outcome the ledger held.
 */
export const AuditPhaseSchema = z.enum(["intent", "outcome", "replay"]);

/**
 * One audit line. A call that is sent has two, with the same `callId`: its `intent`, durably
 * written before the call leaves the host, and its `outcome`. A call answered from a durable
 * run's ledger has one `replay` record; counting sent calls means counting `intent` records. An `intent` without an `outcome`
 * means the call may have reached the server but its result was not recorded (a crash, or a sink
 * that failed after the call). Arguments appear only as a digest.
 */
export const AuditRecordSchema = z.object({
  /** Unique per call; the intent and outcome records of one call share it. */
  callId: z.string(),
  phase: AuditPhaseSchema,
  /** ISO 8601 time the call reached governance. */
  ts: z.string(),
  runId: z.string(),
  principal: z.string().nullable(),
  role: z.string().nullable(),
  server: z.string(),
  tool: z.string(),
  kind: z.enum(["read", "write"]),
  /** SHA-256 of the canonical JSON of the arguments. */
  argsDigest: z.string(),
  decision: AuditDecisionSchema,
  dryRun: z.boolean(),
  durationMs: z.number().nonnegative(),
  /** Size of the JSON-encoded result the program received, 0 when none. */
  resultBytes: z.number().int().nonnegative(),
  /** `pending` in an intent record; else `ok` or the error code the program saw (`POLICY_DENIED`, `TOOL_ERROR`, ...). */
  outcome: z.string(),
  idempotencyKey: z.string().nullable(),
  position: z.number().int().nonnegative(),
  /** Redacted reason for a refusal or failure. */
  detail: z.string().optional(),
});

export type AuditRecord = z.infer<typeof AuditRecordSchema>;
export type AuditDecision = z.infer<typeof AuditDecisionSchema>;
export type AuditPhase = z.infer<typeof AuditPhaseSchema>;

/**
 * Where audit records go. `write` must resolve only once the record is durable (on disk, in the
 * database) and reject (or throw) when it cannot be: governance writes a call's intent before
 * sending it and does not send it when that write fails (`AUDIT_UNAVAILABLE`). A sink that
 * buffers and resolves early breaks that guarantee.
 */
export interface AuditSink {
  write(record: AuditRecord): Promise<void> | void;
  /** Waits for writes in flight; called when a run ends. Must not reject for a write that already failed. */
  flush?(): Promise<void> | void;
}

/** Keeps records in memory: for tests, dashboards and a run's own summary. Never fails. */
export class MemoryAuditSink implements AuditSink {
  readonly records: AuditRecord[] = [];
  write(record: AuditRecord): void {
    this.records.push(record);
  }
}

/** Sends every record to each sink in turn; the write fails (fail closed) when any sink fails. */
export function fanOutSink(...sinks: AuditSink[]): AuditSink {
  return {
    async write(record) {
      for (const sink of sinks) await sink.write(record);
    },
    async flush() {
      for (const sink of sinks) await sink.flush?.();
    },
  };
}

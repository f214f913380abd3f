import { z } from "zod";

/** What governance decided about a call. */
export const AuditDecisionSchema = z.enum(["allow", "deny", "approved", "rejected", "budget"]);

/** One audit line: one tool call, whatever happened to it. Arguments appear only as a digest. */
export const AuditRecordSchema = z.object({
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
  /** `ok`, or the error code the program saw (`POLICY_DENIED`, `TOOL_ERROR`, ...). */
  outcome: z.string(),
  idempotencyKey: z.string().nullable(),
  position: z.number().int().nonnegative(),
  /** Redacted reason for a refusal or failure. */
  detail: z.string().optional(),
});

export type AuditRecord = z.infer<typeof AuditRecordSchema>;
export type AuditDecision = z.infer<typeof AuditDecisionSchema>;

/**
 * Where audit records go. `write` must not throw for a slow backend's sake: governance awaits
 * it so a run's trail is complete when the run ends, and a sink failure fails the call (an
 * unaudited write is worse than a failed one).
 */
export interface AuditSink {
  write(record: AuditRecord): Promise<void> | void;
  /** Flushes buffered records; called when a run ends. */
  flush?(): Promise<void> | void;
}

/** Keeps records in memory: for tests, dashboards and a run's own summary. */
export class MemoryAuditSink implements AuditSink {
  readonly records: AuditRecord[] = [];
  write(record: AuditRecord): void {
    this.records.push(record);
  }
}

/** Sends every record to each sink in turn. */
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

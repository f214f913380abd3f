import { SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { AuditRecord } from "./record.js";

/**
 * Emits one finished OpenTelemetry span per audit record (`toolpacks.tool_call`), with the
 * record's fields as `toolpacks.*` attributes. Uses the global tracer provider, so it is a no-op
 * until the host app registers one.
 */
export function recordSpan(record: AuditRecord, startTime: number, tracer: Tracer = defaultTracer()): void {
  const span = tracer.startSpan(`toolpacks.tool_call ${record.server}.${record.tool}`, {
    startTime,
    attributes: {
      "toolpacks.run_id": record.runId,
      "toolpacks.principal": record.principal ?? "",
      "toolpacks.role": record.role ?? "",
      "toolpacks.server": record.server,
      "toolpacks.tool": record.tool,
      "toolpacks.kind": record.kind,
      "toolpacks.args_digest": record.argsDigest,
      "toolpacks.decision": record.decision,
      "toolpacks.dry_run": record.dryRun,
      "toolpacks.result_bytes": record.resultBytes,
      "toolpacks.outcome": record.outcome,
      "toolpacks.idempotency_key": record.idempotencyKey ?? "",
      "toolpacks.position": record.position,
    },
  });
  if (record.outcome !== "ok")
    span.setStatus({ code: SpanStatusCode.ERROR, message: record.detail ?? record.outcome });
  span.end(startTime + record.durationMs);
}

function defaultTracer(): Tracer {
  return trace.getTracer("@toolpacks/runtime");
}

import { IDEMPOTENCY_KEY_META, KIND_META, REPLAYED_META } from "@toolpacks/pack-kit";
import type { ToolCallMiddleware } from "@toolpacks/runtime";

/** One call as it reached the packs, after every earlier middleware (governance) ran. */
export interface RecordedCall {
  runId: string;
  position: number;
  server: string;
  tool: string;
  kind: "read" | "write";
  args: unknown;
  /** The key governance attached to a write (request `_meta`), if any. */
  idempotencyKey: string | null;
  ok: boolean;
  /** The pack's structured answer. */
  structured: Record<string, unknown> | undefined;
  /** The pack answered from its idempotency record: nothing was written. */
  replayed: boolean;
  ms: number;
  /** Bytes of the structured answer (what the program received). */
  bytes: number;
}

/**
 * A middleware that records every call it passes on, with its arguments and answer, for the demo's
 * account of a run. Put it after governance, so it sees the keys governance attached and only the
 * calls governance let through.
 */
export function callRecorder(): { middleware: ToolCallMiddleware; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const middleware: ToolCallMiddleware = async (call, next) => {
    const started = performance.now();
    const result = await next(call);
    const structured = result.structuredContent as Record<string, unknown> | undefined;
    const key = call.meta[IDEMPOTENCY_KEY_META];
    calls.push({
      runId: call.runId,
      position: call.position,
      server: call.server,
      tool: call.tool,
      kind:
        call.tool_info._meta?.[KIND_META] === "write" || call.tool_info.annotations?.readOnlyHint === false
          ? "write"
          : "read",
      args: call.args,
      idempotencyKey: typeof key === "string" ? key : null,
      ok: result.isError !== true,
      structured,
      replayed: result._meta?.[REPLAYED_META] === true,
      ms: performance.now() - started,
      bytes: structured ? JSON.stringify(structured).length : 0,
    });
    return result;
  };
  return { middleware, calls };
}

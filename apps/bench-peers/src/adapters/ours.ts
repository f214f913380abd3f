/**
 * Our executors behind the common interface: the runtime's `Executor` seam, with the wire codec
 * on both sides of the bridge (JSON values go in and come out unchanged). Used for the embedded
 * QuickJS executor, QuickJS on worker threads, and the Worker Loader executor inside workerd.
 */
import type { Executor, SandboxLimits } from "@toolpacks/runtime";
import type { PeerAdapter, PeerRunRequest, PeerRunResult } from "../adapter.js";
import { errorMessage } from "../adapter.js";

/** Output budgets the common interface does not carry: as the runtime's defaults. */
const OUTPUT_LIMITS = { maxLogBytes: 16_384, maxResultBytes: 1_048_576 };

/** The runtime's wire codec (`encode`/`decode` of `@toolpacks/runtime`), passed in so the workerd
 * bundle can take it from its own file instead of the root entry (which brings the MCP client). */
export interface WireCodec {
  encode(value: unknown): string;
  decode(text: string): unknown;
}

export interface OursMeta {
  id: string;
  label: string;
  version: string;
  close?: () => Promise<void>;
}

/** Wraps one of our executors. */
export function executorAdapter(executor: Executor, codec: WireCodec, meta: OursMeta): PeerAdapter {
  const { encode, decode } = codec;
  return {
    id: meta.id,
    label: meta.label,
    pkg: { name: "@toolpacks/runtime", version: meta.version },
    async run(request: PeerRunRequest): Promise<PeerRunResult> {
      const limits: SandboxLimits = { ...OUTPUT_LIMITS, ...request.limits };
      const response = await executor.run({
        code: request.code,
        bindings: request.bindings,
        limits,
        async callTool(ns, tool, encodedArgs) {
          try {
            return encode(await request.callTool(ns, tool, decode(encodedArgs)));
          } catch (err) {
            const code = (err as { code?: unknown } | null)?.code;
            throw encode({
              code: typeof code === "string" ? code : "TOOL_ERROR",
              message: errorMessage(err),
            });
          }
        },
      });
      const logs = response.logs.map((l) => (l.level === "log" ? l.text : `${l.level}: ${l.text}`));
      if (!response.ok) {
        const error = response.error ?? { code: "UNKNOWN", message: "the run failed without an error" };
        return { ok: false, error: { code: error.code, message: error.message }, logs };
      }
      const value = response.encodedResult === undefined ? undefined : decode(response.encodedResult);
      return { ok: true, value, logs };
    },
    close: meta.close ?? (async () => {}),
  };
}

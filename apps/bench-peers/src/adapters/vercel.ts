/**
 * Vercel's `@ai-sdk/code-mode`: `runCodeMode` runs the program in a fresh QuickJS-NG context on
 * a worker thread (through its `run` package); tools are AI SDK tools called as `tools.name(input)`.
 *
 * Mapping: `ns.tool` becomes the flat tool `ns_tool`, reached through a frozen `ns` object built
 * on the package's own `tools` global. Limits passed: timeoutMs, memory, bridge requests (tool
 * calls) and in-flight bridge requests (concurrency). Console output is not returned by
 * `runCodeMode`, so `logs` stays empty; errors keep the package's `code` (CODE_MODE_*).
 */
import { experimental_runCodeMode as runCodeMode } from "@ai-sdk/code-mode";
import { jsonSchema, tool } from "ai";
import { errorMessage, type PeerAdapter, type PeerRunRequest, type PeerRunResult } from "../adapter.js";
import { flatToolName, namespacePrelude } from "./prelude.js";

export const VERCEL_PKG = "@ai-sdk/code-mode";

export function vercelAdapter(version: string): PeerAdapter {
  return {
    id: "vercel",
    label: "Vercel @ai-sdk/code-mode (QuickJS-NG on worker threads, `run`)",
    pkg: { name: VERCEL_PKG, version },
    async run(request: PeerRunRequest): Promise<PeerRunResult> {
      const tools: Parameters<typeof runCodeMode>[0]["tools"] = {};
      for (const [ns, names] of Object.entries(request.bindings)) {
        for (const name of names) {
          tools[flatToolName(ns, name)] = tool({
            description: `${ns}.${name}`,
            inputSchema: jsonSchema({}),
            execute: (input: unknown) => request.callTool(ns, name, input),
          });
        }
      }
      const prelude = namespacePrelude(
        request.bindings,
        (ns, name) => `tools[${JSON.stringify(flatToolName(ns, name))}](input)`,
      );
      try {
        const value = await runCodeMode({
          js: `${prelude}\n${request.code}`,
          tools,
          options: {
            executionPolicy: {
              timeoutMs: request.limits.timeoutMs,
              memoryLimitBytes: request.limits.memoryMb * 1024 * 1024,
              maxBridgeRequests: request.limits.maxToolCalls,
              maxInFlightBridgeRequests: request.limits.maxConcurrentCalls,
            },
          },
        });
        return { ok: true, value, logs: [] };
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        return {
          ok: false,
          error: { ...(typeof code === "string" ? { code } : {}), message: errorMessage(err) },
          logs: [],
        };
      }
    },
    async close() {},
  };
}

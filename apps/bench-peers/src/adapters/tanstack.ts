/**
 * TanStack AI code mode with its QuickJS driver (`@tanstack/ai-isolate-quickjs`): each run
 * creates a context (a QuickJS-emscripten async context, asyncify) with the tools injected as
 * global functions `external_<name>`, executes, and disposes it — what the package's
 * `execute_typescript` tool does after stripping TypeScript.
 *
 * Mapping: `ns.tool` is the binding `external_ns_tool`, reached through a frozen `ns` object.
 * Limits passed: timeout and memory (the driver's two knobs); tool-call count and concurrency
 * have none. The driver runs one program at a time per process (a global queue around the
 * asyncify stack), so runs in flight at once wait for each other.
 */
import type { ToolBinding } from "@tanstack/ai-code-mode";
import { createQuickJSIsolateDriver } from "@tanstack/ai-isolate-quickjs";
import { errorMessage, type PeerAdapter, type PeerRunRequest, type PeerRunResult } from "../adapter.js";
import { flatToolName, namespacePrelude } from "./prelude.js";

export const TANSTACK_PKG = "@tanstack/ai-code-mode";

const bindingName = (ns: string, tool: string) => `external_${flatToolName(ns, tool)}`;

export function tanstackAdapter(version: string): PeerAdapter {
  const driver = createQuickJSIsolateDriver();
  return {
    id: "tanstack",
    label: "TanStack @tanstack/ai-code-mode + ai-isolate-quickjs (QuickJS-emscripten, asyncify)",
    pkg: { name: TANSTACK_PKG, version },
    async run(request: PeerRunRequest): Promise<PeerRunResult> {
      const bindings: Record<string, ToolBinding> = {};
      for (const [ns, names] of Object.entries(request.bindings)) {
        for (const name of names) {
          bindings[bindingName(ns, name)] = {
            name: bindingName(ns, name),
            description: `${ns}.${name}`,
            inputSchema: { type: "object" },
            execute: (input: unknown) => request.callTool(ns, name, input),
          };
        }
      }
      const prelude = namespacePrelude(request.bindings, (ns, name) => `${bindingName(ns, name)}(input)`);
      try {
        const context = await driver.createContext({
          bindings,
          timeout: request.limits.timeoutMs,
          memoryLimit: request.limits.memoryMb,
        });
        try {
          const out = await context.execute(`${prelude}\n${request.code}`);
          const logs = out.logs ?? [];
          if (!out.success) {
            const error = out.error ?? { name: "Error", message: "the run failed without an error" };
            return { ok: false, error: { code: error.code ?? error.name, message: error.message }, logs };
          }
          return { ok: true, value: out.value, logs };
        } finally {
          await context.dispose();
        }
      } catch (err) {
        return { ok: false, error: { message: errorMessage(err) }, logs: [] };
      }
    },
    async close() {},
  };
}

/**
 * Cloudflare's `@cloudflare/codemode` with its DynamicWorkerExecutor: each run is a dynamic
 * Worker from the Worker Loader binding, tools reach the host Worker over Workers RPC. Runs only
 * inside workerd (the package's main entry imports `cloudflare:workers`), so this adapter is
 * loaded by the bench's host Worker, never by Node.
 *
 * Mapping: each namespace becomes a provider (`ns.tool(input)` in the program, as ours); the
 * program body is wrapped in the async arrow function the package's prompt asks models to write.
 * Only the timeout has a knob (`timeout`); memory, tool-call count and concurrency have none.
 */
import { DynamicWorkerExecutor } from "@cloudflare/codemode";
import type { PeerAdapter, PeerRunRequest, PeerRunResult } from "../adapter.js";

export const CLOUDFLARE_PKG = "@cloudflare/codemode";

/** The Worker Loader binding as the package types it (structural, to keep workers-types out). */
type Loader = ConstructorParameters<typeof DynamicWorkerExecutor>[0]["loader"];

export function cloudflareAdapter(loader: unknown, version: string): PeerAdapter {
  return {
    id: "cloudflare",
    label: "Cloudflare @cloudflare/codemode (DynamicWorkerExecutor, Worker Loader in workerd)",
    pkg: { name: CLOUDFLARE_PKG, version },
    async run(request: PeerRunRequest): Promise<PeerRunResult> {
      const executor = new DynamicWorkerExecutor({
        loader: loader as Loader,
        timeout: request.limits.timeoutMs,
      });
      const providers = Object.entries(request.bindings).map(([ns, tools]) => ({
        name: ns,
        fns: Object.fromEntries(
          tools.map((tool) => [tool, (...args: unknown[]) => request.callTool(ns, tool, args[0])]),
        ),
      }));
      const out = await executor.execute(`async () => {\n${request.code}\n}`, providers);
      const logs = out.logs ?? [];
      if (out.error !== undefined) return { ok: false, error: { message: out.error }, logs };
      return { ok: true, value: out.result, logs };
    },
    async close() {},
  };
}

/**
 * `@utcp/code-mode`: `CodeModeUtcpClient.callToolChain` runs the program in a fresh isolated-vm
 * isolate (a V8 isolate in this process, native addon); tools are UTCP tools named `manual.tool`
 * and called synchronously from the isolate (`applySyncPromise`), so `t.echo(x)` works as is.
 *
 * Mapping: each namespace is a manual of the in-process protocol (utcp-inproc.ts). One client per
 * host function, created once and reused, as an application would. Limits passed: timeout and
 * memory (the only two knobs `callToolChain` has); tool-call count and concurrency have none.
 * A failed run comes back as `result: null` with an `[ERROR]` log line: that is mapped to
 * `ok: false`. The UTCP client prints a line to stdout per tool call; the bench runs it with
 * stdout discarded, and that cost is part of what is measured.
 */
import { CodeModeUtcpClient } from "@utcp/code-mode";
import type { HostToolCall, PeerAdapter, PeerRunRequest, PeerRunResult } from "../adapter.js";
import { INPROC_TYPE, inprocProtocol } from "./utcp-inproc.js";

export const UTCP_PKG = "@utcp/code-mode";

const ERROR_PREFIX = "[ERROR] Code execution failed: ";

export function utcpAdapter(version: string): PeerAdapter {
  const clients = new Map<string, Promise<CodeModeUtcpClient>>();
  const hostIds = new WeakMap<HostToolCall, number>();
  let nextHost = 0;

  const clientFor = (request: PeerRunRequest) => {
    let hostId = hostIds.get(request.callTool);
    if (hostId === undefined) {
      hostId = nextHost++;
      hostIds.set(request.callTool, hostId);
    }
    const key = `${hostId}:${JSON.stringify(request.bindings)}`;
    let client = clients.get(key);
    if (!client) {
      client = (async () => {
        const protocol = inprocProtocol();
        const c = await CodeModeUtcpClient.create(process.cwd(), null);
        for (const [ns, names] of Object.entries(request.bindings)) {
          protocol.bind(
            c,
            ns,
            names.map((name) => ({
              name,
              description: `${ns}.${name}`,
              inputs: { type: "object" },
              outputs: {},
              call: (input: unknown) => request.callTool(ns, name, input),
            })),
          );
          await c.registerManual({ name: ns, call_template_type: INPROC_TYPE });
        }
        return c;
      })();
      clients.set(key, client);
    }
    return client;
  };

  return {
    id: "utcp",
    label: "UTCP @utcp/code-mode (isolated-vm, V8 isolate in-process)",
    pkg: { name: UTCP_PKG, version },
    async run(request: PeerRunRequest): Promise<PeerRunResult> {
      const client = await clientFor(request);
      const out = await client.callToolChain(request.code, request.limits.timeoutMs, request.limits.memoryMb);
      const logs = out.logs.map(String);
      const failure = logs.find((l) => l.startsWith(ERROR_PREFIX));
      if (failure !== undefined) {
        return { ok: false, error: { message: failure.slice(ERROR_PREFIX.length) }, logs };
      }
      return { ok: true, value: out.result, logs };
    },
    async close() {
      for (const c of clients.values()) await (await c).close();
      clients.clear();
    },
  };
}

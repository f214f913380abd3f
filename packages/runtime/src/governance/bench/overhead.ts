// Host-side cost of one governed write as the sandbox sends it: through the real bridge (decode,
// the canonical call, the middleware pipeline, encode), with the MCP server replaced by an
// instant answer, so what is left is governance itself: policy, budgets, the SHA-256 digest and
// idempotency key, redaction, and the write-ahead audit (intent durably written before the call,
// outcome after) in memory or in a real JSONL file synced to disk.
// Run: npx -y pnpm@10 exec tsx packages/runtime/src/governance/bench/overhead.ts [calls]
// (also `pnpm bench --part governance`).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encode } from "../../codec/wire.js";
import { createBridge } from "../../pipeline/bridge.js";
import type { ToolCallMiddleware, ToolInfo } from "../../pipeline/types.js";
import type { McpSource } from "../../sources/mcp-source.js";
import { jsonlAuditSink } from "../audit/jsonl-sink.js";
import { type AuditSink, MemoryAuditSink } from "../audit/record.js";
import { createGovernance } from "../create-governance.js";

/** One measured configuration. */
export interface GovernedWriteRow {
  setup: string;
  calls: number;
  /** Per-call latency; for parallel rows, a batch's wall time divided by its calls. */
  p50Ms: number;
  p99Ms: number;
}

/** What to measure. */
export interface GovernedWriteBenchOptions {
  /** Sequential calls per configuration (default 2000; the file sink rows use a quarter). */
  calls?: number;
  /** Calls per batch in the parallel file-sink row (default 32). */
  parallel?: number;
}

const info: ToolInfo = {
  server: "billing",
  name: "create_invoice",
  namespace: "billing",
  identifier: "create_invoice",
  inputSchema: { type: "object" },
  annotations: { readOnlyHint: false },
  _meta: { "toolpacks.dev/moves": { sum: [{ product: ["amount_minor"] }] } },
};
const answer = { content: [{ type: "text" as const, text: '{"invoice_id":"inv_1","total_minor":1200}' }] };
const source = { callTool: async () => answer } as unknown as McpSource;
const args = (i: number) =>
  encode({ customer: `C-${i}`, amount_minor: 1200, lines: [{ sku: "SKU-1", quantity: 2 }] });

function bridgeFor(middleware: ToolCallMiddleware[], runId: string) {
  return createBridge({
    runId,
    meta: {},
    signal: new AbortController().signal,
    lookup: () => info,
    source: () => source,
    middleware,
    calls: [],
  });
}

function governed(audit: AuditSink | undefined): ToolCallMiddleware[] {
  const gov = createGovernance({
    tracer: false,
    ...(audit ? { audit } : {}),
    secrets: ["sk_live_0123456789abcdef"],
    piiFields: ["email"],
    policy: { rules: [{ tools: "billing.*", effect: "allow" }], budgets: { maxMoneyMinor: 1e15 } },
  });
  return [gov.middleware];
}

function percentiles(times: number[]): { p50Ms: number; p99Ms: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

async function sequential(setup: string, middleware: ToolCallMiddleware[], calls: number) {
  const call = bridgeFor(middleware, `bench-${setup}`);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call("billing", "create_invoice", args(i));
    times.push(performance.now() - started);
  }
  return { setup, calls, ...percentiles(times) };
}

async function parallel(setup: string, middleware: ToolCallMiddleware[], calls: number, width: number) {
  const call = bridgeFor(middleware, `bench-${setup}`);
  const times: number[] = [];
  for (let done = 0; done < calls; done += width) {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: width }, (_, i) => call("billing", "create_invoice", args(done + i))),
    );
    times.push((performance.now() - started) / width);
  }
  return { setup, calls, ...percentiles(times) };
}

/**
 * Measures governed writes end to end on the host: the bare bridge, then governance with no
 * sink, a memory sink and a JSONL file sink (sequential, and `parallel` calls at once, where
 * concurrent records share one disk sync). Writes its JSONL files under the OS temp folder and
 * removes them.
 */
export async function benchGovernedWrites(
  options: GovernedWriteBenchOptions = {},
): Promise<GovernedWriteRow[]> {
  const calls = options.calls ?? 2000;
  const fileCalls = Math.max(8, Math.floor(calls / 4));
  const width = options.parallel ?? 32;
  const dir = mkdtempSync(join(tmpdir(), "tp-bench-audit-"));
  try {
    return [
      await sequential("bridge only, no governance", [], calls),
      await sequential("governed, no audit sink", governed(undefined), calls),
      await sequential("governed, memory audit sink", governed(new MemoryAuditSink()), calls),
      await sequential(
        "governed, JSONL file sink (fdatasync)",
        governed(jsonlAuditSink(join(dir, "seq.jsonl"))),
        fileCalls,
      ),
      await parallel(
        `governed, JSONL file sink, ${width} calls in parallel`,
        governed(jsonlAuditSink(join(dir, "par.jsonl"))),
        fileCalls,
        width,
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchGovernedWrites({ calls: Number(process.argv[2] ?? 2000) });
  for (const r of rows)
    console.log(
      `${r.setup}: ${r.calls} write calls, p50 ${(r.p50Ms * 1000).toFixed(0)} µs, p99 ${(r.p99Ms * 1000).toFixed(0)} µs`,
    );
}

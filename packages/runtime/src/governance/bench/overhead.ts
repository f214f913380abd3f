// Host-side cost of governance per tool call (policy, budgets, SHA-256 digest and idempotency
// key, redaction, one audit record), with the MCP call itself replaced by an instant answer.
// Run: npx -y pnpm@10 exec tsx packages/runtime/src/governance/bench/overhead.ts [calls]
import type { ToolInfo } from "../../pipeline/types.js";
import { MemoryAuditSink } from "../audit/record.js";
import { createGovernance } from "../create-governance.js";

const calls = Number(process.argv[2] ?? 5000);
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

async function measure(label: string, governed: boolean) {
  const gov = createGovernance({
    tracer: false,
    audit: new MemoryAuditSink(),
    secrets: ["sk_live_0123456789abcdef"],
    piiFields: ["email"],
    policy: { rules: [{ tools: "billing.*", effect: "allow" }], budgets: { maxMoneyMinor: 1e12 } },
  });
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const call = {
      runId: "bench",
      position: i,
      server: "billing",
      tool: "create_invoice",
      args: { customer: `C-${i}`, amount_minor: 1200, lines: [{ sku: "SKU-1", quantity: 2 }] },
      tool_info: info,
      meta: {},
      signal: new AbortController().signal,
    };
    const started = performance.now();
    if (governed) await gov.middleware(call, async () => answer);
    else await (async () => answer)();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    `${(times[Math.min(times.length - 1, Math.floor(times.length * q))]! * 1000).toFixed(0)} µs`;
  console.log(`${label}: ${calls} write calls, p50 ${at(0.5)}, p99 ${at(0.99)}`);
}

await measure("no governance", false);
await measure("governed write", true);

// Governance over code mode: run with `npx tsx src/governance/examples/governed-run.ts`.
import { McpServer } from "@modelcontextprotocol/server";
import { createCodeMode, createGovernance, MemoryAuditSink } from "@toolpacks/runtime";
import { z } from "zod";

// A billing server whose write tool honours the idempotency key, as toolpacks packs do.
const invoices = new Map<string, { id: string; amount_minor: number }>();
function billingServer() {
  const server = new McpServer({ name: "billing", version: "1.0.0" });
  server.registerTool(
    "create_invoice",
    {
      description: "Creates an invoice.",
      inputSchema: { customer: z.string(), amount_minor: z.number().int() },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      _meta: {
        "toolpacks.dev/scope": "billing:write",
        // What one call moves, so a money budget can count it (see @toolpacks/moves).
        "toolpacks.dev/moves": { sum: [{ product: ["amount_minor"] }] },
      },
    },
    async ({ customer, amount_minor }, ctx) => {
      const key = String(ctx.mcpReq._meta?.["toolpacks.dev/idempotencyKey"]);
      const invoice = invoices.get(key) ?? { id: `inv_${invoices.size + 1}_${customer}`, amount_minor };
      invoices.set(key, invoice);
      return {
        content: [{ type: "text" as const, text: JSON.stringify(invoice) }],
        structuredContent: invoice,
      };
    },
  );
  return server;
}

export async function governedRun(role: "clerk" | "viewer") {
  const audit = new MemoryAuditSink();
  const governance = createGovernance({
    policy: {
      rules: [
        {
          tools: "billing.create_*",
          effect: "require_approval",
          reason: "invoices need a second pair of eyes",
        },
      ],
      roles: { clerk: { budgets: { maxMoneyMinor: 100_000 } }, viewer: { readOnly: true } },
    },
    role,
    principal: "ann@acme.test",
    // Each call that needs approval is asked on its own; here: approve invoices under 500.00.
    approver: (request) => (request.args as { amount_minor: number }).amount_minor < 50_000,
    audit,
  });
  const cm = await createCodeMode({
    sources: [{ name: "billing", server: billingServer() }],
    middleware: [governance.middleware],
    preflight: governance.preflight,
    onResult: governance.redactOutput,
    redact: governance.redactor.text,
  });
  const run = await cm.execute(
    `
    const results = await Promise.allSettled([
      billing.create_invoice({ customer: "acme", amount_minor: 12_000 }),
      billing.create_invoice({ customer: "globex", amount_minor: 75_000 }),
    ]);
    return results.map((r) => (r.status === "fulfilled" ? r.value.id : r.reason.code));
  `,
    { runId: "run-1" },
  );
  await cm.close();
  // A sent call is audited twice: its intent, durably written before it leaves the host, then its outcome.
  return { run, audit: audit.records.map((r) => `${r.phase} ${r.tool} ${r.decision} ${r.outcome}`) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await governedRun("clerk"));
  console.log(await governedRun("viewer"));
}

// Code mode over an MCP server in this process: run with `npx tsx examples/quickstart.ts`.
import { McpServer } from "@modelcontextprotocol/server";
import { createCodeMode } from "@toolpacks/runtime";
import { z } from "zod";

// Any MCP server works: a stdio command, a Streamable HTTP URL, or (here) an in-process server.
const server = new McpServer({ name: "crm", version: "1.0.0" });
const deals = [
  { id: "d1", stage: "won", amount_minor: 120_000 },
  { id: "d2", stage: "lead", amount_minor: 30_000 },
  { id: "d3", stage: "won", amount_minor: 80_000 },
];
server.registerTool(
  "list_deals",
  {
    description: "Deals in a pipeline stage.",
    annotations: { readOnlyHint: true },
    inputSchema: z.object({ stage: z.enum(["lead", "won", "lost"]) }),
    outputSchema: z.object({ deals: z.array(z.object({ id: z.string(), amount_minor: z.number().int() })) }),
  },
  async ({ stage }) => {
    const matching = deals
      .filter((d) => d.stage === stage)
      .map(({ id, amount_minor }) => ({ id, amount_minor }));
    const structuredContent = { deals: matching };
    return {
      content: [{ type: "text" as const, text: JSON.stringify(structuredContent) }],
      structuredContent,
    };
  },
);

export async function quickstart() {
  const cm = await createCodeMode({ sources: [{ name: "crm", server }], limits: { timeoutMs: 5_000 } });
  try {
    // 1. What the model reads: typed declarations of every tool.
    const declarations = cm.declarations();
    // 2. What the model writes: one program; independent calls run in parallel.
    const run = await cm.execute(`
      const [won, leads] = await Promise.all([crm.list_deals({ stage: "won" }), crm.list_deals({ stage: "lead" })]);
      const total = won.deals.reduce((sum, d) => sum + d.amount_minor, 0);
      console.log("won deals:", won.deals.length);
      return { wonTotal: total, openLeads: leads.deals.length };
    `);
    return { declarations, run };
  } finally {
    await cm.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { declarations, run } = await quickstart();
  console.log(declarations);
  console.log(JSON.stringify({ ok: run.ok, result: run.result, logs: run.logs, calls: run.calls }, null, 2));
}

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import orderToCash from "../../../examples/order-to-cash.ts?raw";
import { mcpClient, signInAs } from "./helpers/oauth.js";

type ToolText = { content: Array<{ type: string; text: string }>; isError?: boolean };
type RunJson = {
  ok: boolean;
  result: Record<string, unknown> & { [k: string]: unknown };
  error?: { code: string; message: string };
  tool_calls: number;
  run_id: string;
};

async function execute(user: "ana" | "oscar" | "ada", code: string): Promise<RunJson> {
  const client = await mcpClient("/mcp", await signInAs(user));
  try {
    const r = (await client.callTool({ name: "execute", arguments: { code } })) as ToolText;
    return JSON.parse(r.content[0]?.text ?? "{}") as RunJson;
  } finally {
    await client.close();
  }
}

async function auditRows(runId: string) {
  return (
    await env.DB.prepare(
      "SELECT server, tool, kind, decision, outcome FROM toolpacks_audit WHERE run_id = ? ORDER BY position",
    )
      .bind(runId)
      .all<{ server: string; tool: string; kind: string; decision: string; outcome: string }>()
  ).results;
}

describe("/mcp code-mode gateway", () => {
  it("offers search and execute and runs an analyst's read program in a Worker Loader isolate", async () => {
    const client = await mcpClient("/mcp", await signInAs("ana"));
    const { tools } = await client.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual(["execute", "search"]);
    const found = (await client.callTool({
      name: "search",
      arguments: { query: "overdue invoices" },
    })) as ToolText;
    expect(found.content[0]?.text).toContain("billing.");
    await client.close();
    const run = await execute(
      "ana",
      // QuickJS has no Intl; V8 in a Worker Loader isolate has.
      "const p = await crm.pipeline_summary({}); return { deals: p.totals.deals, engine: typeof Intl };",
    );
    expect(run.ok).toBe(true);
    expect(run.result.engine).toBe("object");
    expect(run.result.deals).toBeGreaterThan(0);
  });

  it("refuses an analyst's write before any call is made", async () => {
    const run = await execute(
      "ana",
      `const p = await crm.pipeline_summary({});
await erp.create_sales_order({ deal_id: "D-0000001", account_id: "A-0001", currency: "USD", lines: [] });
return p;`,
    );
    expect(run.ok).toBe(false);
    expect(run.error?.code).toBe("PREFLIGHT_REFUSED");
    expect(run.error?.message).toContain("erp.create_sales_order");
    expect(run.tool_calls).toBe(0);
    expect(await auditRows(run.run_id)).toEqual([]);
  });

  it("contains a hostile program (infinite loop, network probe) and keeps serving", async () => {
    const loop = await execute("ada", "while (true) {}");
    expect(loop.ok).toBe(false);
    expect(loop.error?.code).toBe("TIMEOUT");
    const probe = await execute(
      "ada",
      "return [typeof fetch, typeof env, typeof DB, typeof LOADER, typeof OAUTH_KV];",
    );
    expect(probe.result).toEqual(["undefined", "undefined", "undefined", "undefined", "undefined"]);
    const after = await execute("ada", "return (await billing.ar_aging({})).as_of;");
    expect(after.ok).toBe(true);
  });

  it("runs the order-to-cash program across the four packs for an admin, audited, and a re-run writes nothing", async () => {
    const first = await execute("ada", orderToCash);
    expect(first.error).toBeUndefined();
    expect(first.ok).toBe(true);
    expect(first.result.deals_won).toBeGreaterThan(0);
    const audit = await auditRows(first.run_id);
    expect(audit.length).toBe(first.tool_calls);
    const servers = new Set(audit.map((a) => a.server));
    expect([...servers].sort()).toEqual(["billing", "crm", "erp", "warehouse"]);
    expect(audit.some((a) => a.kind === "write" && a.decision === "allow")).toBe(true);
    const again = await execute("ada", orderToCash);
    expect(again.ok).toBe(true);
    expect(again.result.orders_created).toEqual([]);
    expect(again.result.invoiced).toEqual([]);
  });

  it("queues a notification in the outbox", async () => {
    const run = await execute(
      "ada",
      `return await outbox.notify({ to: "O-001", subject: "June orders", body: "3 orders invoiced" });`,
    );
    expect(run.ok).toBe(true);
    const row = await env.DB.prepare(
      "SELECT recipient, subject, principal, status FROM app_outbox WHERE id = ?",
    )
      .bind((run.result as { id: string }).id)
      .first();
    expect(row).toEqual({ recipient: "O-001", subject: "June orders", principal: "ada", status: "queued" });
  });
});

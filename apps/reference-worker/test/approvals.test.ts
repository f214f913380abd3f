import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mcpClient, signInAs, worker } from "./helpers/oauth.js";

type ToolText = { content: Array<{ type: string; text: string }> };

const WRITE = `const a = await crm.log_activity({ deal_id: "D-0000026", kind: "call", subject: "Checked delivery dates" });
return a;`;

async function adminCookie(): Promise<string> {
  const r = await worker("/inspector/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user: "ada", password: "demo" }),
    redirect: "manual",
  });
  expect(r.status).toBe(303);
  return (r.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

async function pendingFor(principal: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const row = await env.DB.prepare(
      "SELECT id FROM app_approvals WHERE principal = ? AND status = 'pending'",
    )
      .bind(principal)
      .first<{ id: string }>();
    if (row) return row.id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no pending approval appeared");
}

async function decide(id: string, decision: "approve" | "reject", cookie: string): Promise<Response> {
  return worker(`/inspector/approvals/${id}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ decision }),
    redirect: "manual",
  });
}

describe("operators' writes wait for an admin", () => {
  it("runs the write once an admin approves it on the inspector", async () => {
    const client = await mcpClient("/mcp", await signInAs("oscar"));
    const running = client.callTool({ name: "execute", arguments: { code: WRITE } }) as Promise<ToolText>;
    const id = await pendingFor("oscar");
    const page = await (await worker("/inspector", { headers: { cookie: await adminCookie() } })).text();
    expect(page).toContain("crm.log_activity");
    expect((await decide(id, "approve", await adminCookie())).status).toBe(303);
    const out = JSON.parse((await running).content[0]?.text ?? "{}");
    expect(out.ok).toBe(true);
    const audit = await env.DB.prepare("SELECT decision FROM toolpacks_audit WHERE run_id = ?")
      .bind(out.run_id)
      .first();
    expect(audit).toEqual({ decision: "approved" });
    await client.close();
  });

  it("refuses the write when the admin rejects it, and only an admin can decide", async () => {
    const client = await mcpClient("/mcp", await signInAs("oscar"));
    const running = client.callTool({ name: "execute", arguments: { code: WRITE } }) as Promise<ToolText>;
    const id = await pendingFor("oscar");
    const operator = await worker("/inspector/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user: "oscar", password: "demo" }),
      redirect: "manual",
    });
    const operatorCookie = (operator.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect((await decide(id, "approve", operatorCookie)).status).toBe(403);
    await decide(id, "reject", await adminCookie());
    const out = JSON.parse((await running).content[0]?.text ?? "{}");
    expect(out.ok).toBe(false);
    expect(out.tool_calls).toBe(1);
    expect(out.failed_calls).toEqual([
      expect.objectContaining({ tool: "crm.log_activity", code: "APPROVAL_REJECTED" }),
    ]);
    await client.close();
  });
});

import { describe, expect, it } from "vitest";
import { mcpClient, ORIGIN, signInAs, worker } from "./helpers/oauth.js";

describe("OAuth 2.1 in front of the MCP endpoints", () => {
  it("refuses an MCP request without a token and points at the resource metadata", async () => {
    const r = await worker("/mcp/crm", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toContain("resource_metadata=");
    const meta = (await (await worker("/.well-known/oauth-protected-resource/mcp")).json()) as {
      resource: string;
    };
    expect(meta.resource).toBe(`${ORIGIN}/mcp`);
  });

  it("signs a demo user in through login and consent, and the token opens the pack endpoint", async () => {
    const token = await signInAs("ana");
    const client = await mcpClient("/mcp/crm", token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("pipeline_summary");
    await client.close();
  });

  it("refuses a wrong password on the login page", async () => {
    await expect(signInAs("ada", "wrong")).rejects.toThrow(/consent: 401/);
  });

  it("refuses a forged token", async () => {
    await expect(mcpClient("/mcp/crm", "ana:grant:forged")).rejects.toThrow();
  });
});

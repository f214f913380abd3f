import { exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";

describe("/mcp/crm", () => {
  it("lists tools", async () => {
    const client = new Client({ name: "test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL("https://example.com/mcp/crm"), {
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    const t = Date.now();
    await client.connect(transport);
    const tools = await client.listTools();
    console.log(
      tools.tools.map((t) => t.name),
      Date.now() - t,
    );
    const r = await client.callTool({ name: "pipeline_summary", arguments: {} });
    console.log(JSON.stringify(r).slice(0, 500), Date.now() - t);
    expect(tools.tools.length).toBeGreaterThan(3);
  });
});

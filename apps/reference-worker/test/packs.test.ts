import { describe, expect, it } from "vitest";
import { mcpClient, signInAs } from "./helpers/oauth.js";

// One read tool per pack, asked through its own endpoint with a real MCP client.
const READS: Record<string, string> = {
  crm: "pipeline_summary",
  erp: "open_orders",
  warehouse: "low_stock",
  billing: "ar_aging",
};

describe("each pack at /mcp/<pack>", () => {
  for (const [pack, tool] of Object.entries(READS)) {
    it(`/mcp/${pack} lists its tools with annotations and scope, and answers ${tool} as of the world's date`, async () => {
      const client = await mcpClient(`/mcp/${pack}`, await signInAs("ana"));
      const { tools } = await client.listTools();
      const listed = tools.find((t) => t.name === tool);
      expect(listed?.annotations?.readOnlyHint).toBe(true);
      expect(listed?._meta?.["toolpacks.dev/scope"]).toBe(`${pack}:read`);
      const r = (await client.callTool({ name: tool, arguments: {} })) as {
        isError?: boolean;
        structuredContent?: { as_of?: string };
      };
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent?.as_of).toMatch(/^\d{4}-\d{2}-\d{2}/);
      await client.close();
    }, 120_000); // The first request of a pack seeds its world into D1: slow on a loaded machine.
  }
});

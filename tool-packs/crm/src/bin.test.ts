import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";

const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));

describe("toolpacks-crm", () => {
  it("serves the pack over stdio on a freshly seeded world", async () => {
    const transport = new StdioClientTransport({
      command: tsx,
      args: [bin, "--scale", "2000", "--seed", "7"],
      env: { ...process.env } as Record<string, string>,
      stderr: "pipe",
    });
    const client = new Client({ name: "bin-test", version: "0.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("deals_closed");
      const answer = await client.callTool({ name: "pipeline_summary", arguments: {} });
      expect((answer.structuredContent as { as_of: string }).as_of).toBe("2026-06-30");
    } finally {
      await client.close();
    }
  });
});

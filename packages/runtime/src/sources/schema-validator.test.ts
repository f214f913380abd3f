import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { describe, expect, it } from "vitest";
import { McpSource } from "./mcp-source.js";
import { codeGenerationAllowed, defaultSchemaValidator } from "./schema-validator.js";

// A low-level server (no output check of its own) whose tool breaks its output schema when asked to,
// so only the client's validator stands between the bad answer and the program.
function server(): Server {
  const s = new Server({ name: "crm", version: "0.0.0" }, { capabilities: { tools: {} } });
  s.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      {
        name: "deal_count",
        inputSchema: { type: "object", properties: { broken: { type: "boolean" } } },
        outputSchema: {
          type: "object",
          properties: { deals: { type: "integer" } },
          required: ["deals"],
        },
      },
    ],
  }));
  s.setRequestHandler(CallToolRequestSchema, async (req) => {
    const structuredContent = req.params.arguments?.broken ? { deals: "three" } : { deals: 3 };
    return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
  });
  return s;
}

describe("the schema validator of the MCP clients", () => {
  it("keeps the SDK's default (Ajv) where code generation is allowed, as in Node", () => {
    expect(codeGenerationAllowed()).toBe(true);
    expect(defaultSchemaValidator()).toBeUndefined();
  });

  it("validates structured results with @cfworker/json-schema, the Workers-safe validator", async () => {
    const source = new McpSource({ name: "crm", server, schemaValidator: new CfWorkerJsonSchemaValidator() });
    await source.connect();
    expect(source.status).toBe("ready");
    expect((await source.callTool("deal_count", { broken: false })).structuredContent).toEqual({ deals: 3 });
    await expect(source.callTool("deal_count", { broken: true })).rejects.toThrow(
      /structured content|schema/i,
    );
    await source.close();
  });
});

/**
 * Each project's own prompt or type generator over the same tools (the four packs' MCP tools,
 * with their JSON Schemas), rendered as the model receives it: the code tool's definition (name,
 * description, input schema) plus any system-prompt text the project asks you to send with it.
 * Where a project's generator reads only input schemas, that is what it renders: nothing is added.
 */
import { experimental_createCodeModeTool as createVercelCodeModeTool } from "@ai-sdk/code-mode";
import { codeMcpServer } from "@cloudflare/codemode/mcp";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { type CodeModeTool, createCodeMode } from "@tanstack/ai-code-mode";
import { createQuickJSIsolateDriver } from "@tanstack/ai-isolate-quickjs";
import { CodeModeUtcpClient } from "@utcp/code-mode";
import { asSchema, jsonSchema, tool } from "ai";
import { z } from "zod";
import { INPROC_TYPE, inprocProtocol } from "../adapters/utcp-inproc.js";
import { modelToolText } from "./tokens.js";

/** One tool of the packs as its MCP server lists it. */
export interface PackTool {
  /** Pack (MCP server) name, e.g. "billing". */
  pack: string;
  /** MCP tool name, e.g. "list_invoices". */
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

/** Flat name for projects with one namespace: `billing_list_invoices`. */
const flat = (t: PackTool) => `${t.pack}_${t.name}`;

const noExecute = async () => {
  throw new Error("prompt rendering only");
};

/** Vercel: `createCodeModeTool(tools).description` (declared `tools` object, examples) and its input schema. */
export async function renderVercel(tools: readonly PackTool[]): Promise<string> {
  const set: Parameters<typeof createVercelCodeModeTool>[0] = {};
  for (const t of tools) {
    set[flat(t)] = tool({
      description: t.description,
      inputSchema: jsonSchema(t.inputSchema),
      ...(t.outputSchema ? { outputSchema: jsonSchema(t.outputSchema) } : {}),
      execute: noExecute,
    });
  }
  const codeTool = createVercelCodeModeTool(set);
  return modelToolText([
    {
      name: "code_mode",
      description: codeTool.description,
      input_schema: await asSchema(codeTool.inputSchema).jsonSchema,
    },
  ]);
}

/**
 * Cloudflare: `codeMcpServer` from `@cloudflare/codemode/mcp` wraps an MCP server with one `code`
 * tool whose description carries the generated types; the packs' tools are served to it by an
 * MCP server that lists them as the packs do (the package reads input schemas only).
 */
export async function renderCloudflare(tools: readonly PackTool[]): Promise<string> {
  const upstream = new McpServer({ name: "packs", version: "1.0.0" });
  upstream.server.registerCapabilities({ tools: {} });
  upstream.server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.map((t) => ({
      name: flat(t),
      description: t.description,
      inputSchema: t.inputSchema as { type: "object" },
      ...(t.outputSchema ? { outputSchema: t.outputSchema as { type: "object" } } : {}),
    })),
  }));
  const executor = { execute: async () => ({ result: undefined, error: "prompt rendering only" }) };
  const wrapped = await codeMcpServer({ server: upstream, executor });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await wrapped.connect(serverSide);
  const client = new Client({ name: "bench-peers", version: "1.0.0" });
  await client.connect(clientSide);
  try {
    const listed = await client.listTools();
    return modelToolText(
      listed.tools.map((t) => ({
        name: t.name,
        description: t.description ?? "",
        input_schema: t.inputSchema,
      })),
    );
  } finally {
    await client.close();
    await wrapped.close();
    await upstream.close();
  }
}

/**
 * UTCP: the package's `AGENT_PROMPT_TEMPLATE` plus `getAllToolsTypeScriptInterfaces()` over the
 * tools registered as one manual per pack. The package defines no model-facing tool of its own
 * (`callToolChain` is called by your agent code), so nothing else is counted.
 */
export async function renderUtcp(tools: readonly PackTool[]): Promise<string> {
  const protocol = inprocProtocol();
  const client = await CodeModeUtcpClient.create(process.cwd(), null);
  try {
    for (const pack of [...new Set(tools.map((t) => t.pack))]) {
      protocol.bind(
        client,
        pack,
        tools
          .filter((t) => t.pack === pack)
          .map((t) => ({
            name: t.name,
            description: t.description,
            inputs: t.inputSchema,
            outputs: t.outputSchema ?? {},
          })),
      );
      await client.registerManual({ name: pack, call_template_type: INPROC_TYPE });
    }
    return `${CodeModeUtcpClient.AGENT_PROMPT_TEMPLATE}\n\n${await client.getAllToolsTypeScriptInterfaces()}`;
  } finally {
    await client.close();
  }
}

/** TanStack: `createCodeMode({ tools })` gives the `execute_typescript` tool and a system prompt (type stubs); both are sent. */
export async function renderTanstack(tools: readonly PackTool[]): Promise<string> {
  const serverTools = tools.map(
    (t) =>
      ({
        name: flat(t),
        description: t.description,
        inputSchema: t.inputSchema,
        ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
        execute: noExecute,
      }) as unknown as CodeModeTool,
  );
  const { tool: codeTool, systemPrompt } = createCodeMode({
    driver: createQuickJSIsolateDriver(),
    tools: serverTools,
  });
  const inputSchema = codeTool.inputSchema as z.ZodType;
  return `${systemPrompt}\n\n${modelToolText([
    { name: codeTool.name, description: codeTool.description, input_schema: z.toJSONSchema(inputSchema) },
  ])}`;
}

export const PEER_RENDERERS = {
  vercel: renderVercel,
  cloudflare: renderCloudflare,
  utcp: renderUtcp,
  tanstack: renderTanstack,
} as const;

import { type CallToolResult, Client, InMemoryTransport, type Tool } from "@modelcontextprotocol/client";

import { type OpenedPacks, openPacks } from "@toolpacks/pack-kit/node";
import { DemoError } from "./errors.js";

/** The four packs of the order-to-cash world, in the order they join the chain. */
export const ALL_PACKS = ["crm", "erp", "warehouse", "billing"] as const;

/** Options of `openPackSession`. */
export interface PackSessionOptions {
  /** SQLite file shared by the packs (created and seeded when empty); default in memory. */
  db?: string;
  /** World size in rows (see `@toolpacks/world`). Default 10,000. */
  scale?: number;
  seed?: number;
}

/** What one tool call answered, as an MCP client sees it. */
export interface ToolAnswer {
  /** The text a classic client appends to the model's context. */
  text: string;
  /** The structured answer (`structuredContent`), or undefined for a tool error. */
  structured: Record<string, unknown> | undefined;
  isError: boolean;
}

/** Packs opened on one store, each reachable through a real MCP client (in-memory transport). */
export interface PackSession {
  readonly opened: OpenedPacks;
  /** Tools of each pack, as listed by its server (`tools/list`). */
  readonly tools: ReadonlyMap<string, Tool[]>;
  /** Calls `pack.tool(args)` over MCP; never throws for a tool error (see `isError`). */
  call(
    pack: string,
    tool: string,
    args: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<ToolAnswer>;
  close(): Promise<void>;
}

async function connect(server: OpenedPacks["servers"][number]["server"]): Promise<Client> {
  const client = new Client({ name: "toolpacks-demo", version: "0.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  return client;
}

/**
 * Opens the named packs on one shared store (seeding the world when the store is empty) and
 * connects an MCP client to each, so every answer goes through the same protocol path a model's
 * client would use.
 */
export async function openPackSession(
  names: readonly string[],
  options: PackSessionOptions = {},
): Promise<PackSession> {
  const opened = await openPacks(names, {
    ...options,
    // Resolve the packs from this app, which depends on all four (the kit itself depends on none).
    importer: (specifier) => import(/* @vite-ignore */ specifier),
  });
  const clients = new Map<string, Client>();
  const tools = new Map<string, Tool[]>();
  for (const { name, server } of opened.servers) {
    const client = await connect(server);
    clients.set(name, client);
    tools.set(name, (await client.listTools()).tools);
  }
  return {
    opened,
    tools,
    async call(pack, tool, args, meta) {
      const client = clients.get(pack);
      if (!client) {
        throw new DemoError(
          "unknown_pack",
          `Pack "${pack}" is not open in this session (open: ${[...clients.keys()].join(", ")}); add it to the pack list.`,
        );
      }
      const result = (await client.callTool({
        name: tool,
        arguments: args,
        ...(meta ? { _meta: meta } : {}),
      })) as CallToolResult;
      const text = result.content
        .map((part) => (part.type === "text" ? part.text : JSON.stringify(part)))
        .join("\n");
      return {
        text,
        structured: result.structuredContent as Record<string, unknown> | undefined,
        isError: result.isError === true,
      };
    },
    async close() {
      await Promise.all([...clients.values()].map((client) => client.close()));
      await opened.close();
    },
  };
}

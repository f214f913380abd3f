import { type CallToolResult, Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { PackDefinition } from "../pack/define-pack.js";
import { createPackServer, type PackServerOptions } from "../server/create-pack-server.js";

/** A connected in-process MCP client for a pack, for tests. */
export interface PackClient {
  client: Client;
  /** Calls a tool with arguments and optional request `_meta`. */
  call(name: string, args: Record<string, unknown>, meta?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/**
 * Connects an MCP client to a pack server over an in-memory transport: the full protocol path
 * (initialize, tools/list, tools/call) without a process or a socket.
 */
export async function connectPackClient(
  pack: PackDefinition,
  options: PackServerOptions,
): Promise<PackClient> {
  const server = createPackServer(pack, options);
  const client = new Client({ name: "pack-kit-test", version: "0.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    call: (name, args, meta) => client.callTool({ name, arguments: args, ...(meta ? { _meta: meta } : {}) }),
    async close() {
      await client.close();
      await server.close();
    },
  };
}

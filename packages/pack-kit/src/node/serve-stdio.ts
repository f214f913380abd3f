import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { createPackServer, type PackServerOptions } from "../server/create-pack-server.js";

/**
 * Serves a pack over stdio (what Claude Desktop and most local clients launch). stdout carries
 * protocol messages only; diagnostics go to stderr. Resolves once connected.
 */
export async function servePackStdio(
  pack: PackDefinition,
  options: PackServerOptions,
): Promise<{ close(): Promise<void> }> {
  const server = createPackServer(pack, options);
  await server.connect(new StdioServerTransport());
  return { close: () => server.close() };
}

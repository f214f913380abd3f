import { serveStdio } from "@modelcontextprotocol/server/stdio";
import type { PackDefinition } from "../pack/define-pack.js";
import { createPackServer, type PackServerOptions } from "../server/create-pack-server.js";

/**
 * Serves a pack over stdio (what Claude Desktop and most local clients launch): a client's first
 * message picks the revision, 2026-07-28 (`server/discover`, per-request `_meta`) or a 2025-11-25
 * session (`initialize`), answered by one pack server for the connection. stdout carries protocol
 * messages only; diagnostics go to stderr. Resolves once listening.
 */
export async function servePackStdio(
  pack: PackDefinition,
  options: PackServerOptions,
): Promise<{ close(): Promise<void> }> {
  const handle = serveStdio(() => createPackServer(pack, options));
  return { close: () => handle.close() };
}

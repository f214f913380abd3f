/**
 * `/mcp/<pack>`: one pack as an MCP server over Streamable HTTP, served by the `agents` SDK's
 * stateless `createMcpHandler`: 2026-07-28 requests and 2025-11-25 clients from one endpoint.
 * A fresh server per request, no session Durable Object, so any isolate can answer any request.
 */
import { createPackServer, type PackDefinition } from "@toolpacks/pack-kit";
import { createMcpHandler } from "agents/mcp";
import type { Env } from "../env.js";
import { packStore } from "./store.js";

/** Answers one MCP request for `pack` at `route`. `ctx.props` (the OAuth grant) reaches tool handlers as auth info. */
export async function servePack(
  pack: PackDefinition,
  route: string,
  request: Request,
  env: Env,
  ctx: ExecutionContext,
): Promise<Response> {
  const store = await packStore(env, ctx);
  return createMcpHandler(() => createPackServer(pack, { store }), { route })(request, env, ctx);
}

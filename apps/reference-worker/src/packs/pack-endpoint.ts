/**
 * `/mcp/<pack>`: one pack as an MCP server over Streamable HTTP, served by the `agents` SDK's
 * SDK-1.x handler (`createLegacyMcpHandler`) — see the README's architecture notes for why.
 * A fresh server per request keeps the handler stateless, so any isolate can answer any request.
 */
import { createPackServer, type PackDefinition } from "@toolpacks/pack-kit";
import { createLegacyMcpHandler } from "agents/mcp";
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
  const store = await packStore(env);
  const server = createPackServer(pack, { store });
  return createLegacyMcpHandler(server, { route })(request, env, ctx);
}

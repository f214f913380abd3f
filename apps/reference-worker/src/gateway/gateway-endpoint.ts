/**
 * `/mcp`: the code-mode gateway (`search` and `execute` over the four packs and the outbox) as an
 * MCP server, on the same SDK-1.x handler as the packs, for the principal of the OAuth grant.
 */
import { createGatewayServer } from "@toolpacks/runtime";
import { createLegacyMcpHandler } from "agents/mcp";
import type { AuthProps } from "../auth/props.js";
import type { Env } from "../env.js";
import { openCodeMode } from "./code-mode.js";

/** Answers one MCP request at `/mcp` for `auth`. */
export async function serveGateway(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  auth: AuthProps,
): Promise<Response> {
  const { codeMode } = await openCodeMode(env, ctx, auth, "mcp");
  const server = createGatewayServer(codeMode, { name: "toolpacks-reference", version: "1.0.0" });
  return createLegacyMcpHandler(server, { route: "/mcp" })(request, env, ctx);
}

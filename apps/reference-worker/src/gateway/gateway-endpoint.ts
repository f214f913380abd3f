/**
 * `/mcp`: the code-mode gateway (`search` and `execute` over the four packs and the outbox) as an
 * MCP server for the principal of the OAuth grant, on the `agents` SDK's stateless handler: the
 * 2026-07-28 revision per request and 2025-11-25 clients per request, no session Durable Object.
 */
import { createGatewayServer } from "@toolpacks/runtime";
import { createMcpHandler } from "agents/mcp";
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
  const { codeMode } = await openCodeMode(env, ctx, auth, "mcp", { origin: new URL(request.url).origin });
  const handler = createMcpHandler(
    () => createGatewayServer(codeMode, { name: "toolpacks-reference", version: "1.0.0" }),
    { route: "/mcp" },
  );
  return handler(request, env, ctx);
}

/**
 * The protected MCP endpoints, reached only with a valid access token: `/mcp` (code mode) and
 * `/mcp/<pack>`. The role comes from the grant's props, never from the request.
 */
import { readAuthProps } from "./auth/props.js";
import type { Env } from "./env.js";
import { serveGateway } from "./gateway/gateway-endpoint.js";
import { servePack } from "./packs/pack-endpoint.js";
import { findPack } from "./packs/registry.js";

export const apiHandler = {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const auth = readAuthProps((ctx as ExecutionContext & { props?: unknown }).props);
    if (!auth)
      return Response.json({ error: "the grant carries no user and role; sign in again" }, { status: 403 });
    const { pathname } = new URL(request.url);
    if (pathname === "/mcp") return serveGateway(request, env, ctx, auth);
    const match = /^\/mcp\/([a-z][a-z0-9_-]*)$/.exec(pathname);
    const pack = match?.[1] ? findPack(match[1]) : undefined;
    if (pack) return servePack(pack, pathname, request, env, ctx);
    return Response.json(
      { error: `no MCP endpoint at ${pathname}; try /mcp or /mcp/<pack>` },
      { status: 404 },
    );
  },
} satisfies ExportedHandler<Env>;

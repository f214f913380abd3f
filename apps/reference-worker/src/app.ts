/**
 * Pages and endpoints outside the provider's `/mcp` routes: login and consent, home, inspector,
 * and the agent (which checks its bearer token itself through the provider).
 */
import { handleAgentChat } from "./agent/chat.js";
import { handleAuthorize } from "./auth/authorize.js";
import { handleCallback } from "./auth/callback.js";
import type { Env } from "./env.js";
import { esc, page } from "./html.js";
import { handleInspector } from "./inspector/routes.js";
import { PACKS } from "./packs/registry.js";

export const appHandler = {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/authorize") return handleAuthorize(request, env);
    if (pathname === "/auth/callback") return handleCallback(request, env);
    if (pathname === "/agent/chat") return handleAgentChat(request, env, ctx);
    if (pathname === "/inspector" || pathname.startsWith("/inspector/"))
      return handleInspector(request, env, ctx);
    if (pathname === "/") return home(request);
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;

function home(request: Request): Response {
  const origin = new URL(request.url).origin;
  const packs = PACKS.map(
    (p) => `<li><code>${esc(origin)}/mcp/${esc(p.name)}</code> — ${esc(p.title)}</li>`,
  ).join("");
  return page(
    "Toolpacks reference",
    `<h1>Toolpacks reference Worker</h1>
<p>MCP endpoints (OAuth 2.1; sign in as a demo user when your client asks):</p>
<ul><li><code>${esc(origin)}/mcp</code> — code mode: <code>search</code> and <code>execute</code> over every pack</li>${packs}</ul>
<p>Agent: <code>POST ${esc(origin)}/agent/chat</code> with <code>{"message": "..."}</code> and the same bearer token.</p>
<p><a href="/inspector">Run inspector</a></p>`,
  );
}

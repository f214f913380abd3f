import type { Env } from "./env.js";
import { servePack } from "./packs/pack-endpoint.js";
import { findPack } from "./packs/registry.js";

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const m = /^\/mcp\/([a-z]+)$/.exec(url.pathname);
    const pack = m?.[1] ? findPack(m[1]) : undefined;
    if (pack) return servePack(pack, url.pathname, request, env, ctx);
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;

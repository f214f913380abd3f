import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { createPackServer, type PackServerOptions } from "../server/create-pack-server.js";
import {
  authenticate,
  type HttpAuthOptions,
  protectedResourceMetadata,
  protectedResourceMetadataPath,
} from "./auth.js";
import { checkHostAndOrigin, type HostOriginPolicy } from "./host-origin.js";
import { checkToolScopes } from "./scope-check.js";

/** Options of `createPackHttpHandler`. */
export interface PackHttpOptions extends PackServerOptions, HostOriginPolicy {
  /** Path of the MCP endpoint (default `/mcp`). */
  path?: string;
  /** Credentials the endpoint requires; none by default (fine on 127.0.0.1 only). */
  auth?: HttpAuthOptions;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/**
 * A Web-standard `(Request) => Promise<Response>` serving one pack over MCP Streamable HTTP,
 * the same code on Node (via `servePackHttp`) and Workers (via `createPackFetchHandler`).
 * In order: Host/Origin check (403), protected-resource metadata (public), credential (401),
 * the called tool's scope for OAuth tokens (403 `insufficient_scope`), then a stateless MCP
 * exchange: a fresh server and transport per request, JSON responses, so any instance can
 * answer any request and nothing is kept between them.
 */
export function createPackHttpHandler(
  pack: PackDefinition,
  options: PackHttpOptions,
): (request: Request) => Promise<Response> {
  const path = options.path ?? "/mcp";
  const auth = options.auth ?? {};
  const metadataPaths = auth.oauth
    ? new Set([protectedResourceMetadataPath(auth.oauth.resource), "/.well-known/oauth-protected-resource"])
    : new Set<string>();
  const metadataUrl = auth.oauth
    ? new URL(protectedResourceMetadataPath(auth.oauth.resource), auth.oauth.resource).href
    : undefined;

  return async (request) => {
    const url = new URL(request.url);
    const refused = checkHostAndOrigin(request, options);
    if (refused) return refused;
    if (auth.oauth && metadataPaths.has(url.pathname) && request.method === "GET") {
      return json(200, protectedResourceMetadata(auth.oauth, pack.title), {
        "cache-control": "max-age=3600",
      });
    }
    if (url.pathname !== path) {
      return json(404, { error: "not_found", error_description: `This server answers MCP at ${path} only.` });
    }
    const outcome = await authenticate(request, auth);
    if (!outcome.ok) return outcome.response;
    if (request.method !== "POST") {
      // Stateless: no server-initiated stream to resume (GET) and no session to end (DELETE).
      return json(
        405,
        { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: use POST." }, id: null },
        {
          allow: "POST",
        },
      );
    }
    const insufficient = await checkToolScopes(request, pack, outcome.authInfo, metadataUrl);
    if (insufficient) return insufficient;
    const server = createPackServer(pack, options);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, outcome.authInfo ? { authInfo: outcome.authInfo } : {});
    } finally {
      // JSON mode: the response is complete here, so the per-request server can go.
      await server.close();
    }
  };
}

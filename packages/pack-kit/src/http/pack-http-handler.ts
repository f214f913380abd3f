import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { createPackServer, type PackServerOptions } from "../server/create-pack-server.js";
import { protectedResourceMetadataPath } from "./auth.js";
import { createMcpHttpFront, type McpHttpFrontOptions, type McpHttpHandler } from "./front.js";
import { checkToolScopes } from "./scope-check.js";

/** Options of `createPackHttpHandler`. */
export interface PackHttpOptions extends PackServerOptions, Omit<McpHttpFrontOptions, "resourceName"> {}

/**
 * A Web-standard `(Request) => Promise<Response>` serving one pack over MCP Streamable HTTP,
 * the same code on Node (via `servePackHttp`) and Workers (via `createPackFetchHandler`).
 * The shared front (`createMcpHttpFront`) checks Host/Origin, credential, method and body size;
 * then the called tool's scope for OAuth tokens (403 `insufficient_scope`), then a stateless MCP
 * exchange: a fresh server and transport per request, JSON responses, so any instance can
 * answer any request and nothing is kept between them.
 */
export function createPackHttpHandler(pack: PackDefinition, options: PackHttpOptions): McpHttpHandler {
  const oauth = options.auth?.oauth;
  const metadataUrl = oauth
    ? new URL(protectedResourceMetadataPath(oauth.resource), oauth.resource).href
    : undefined;
  return createMcpHttpFront({ ...options, resourceName: pack.title }, async (request, { body, authInfo }) => {
    const insufficient = checkToolScopes(body, pack, authInfo, metadataUrl);
    if (insufficient) return insufficient;
    const server = createPackServer(pack, options);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, { parsedBody: body, ...(authInfo ? { authInfo } : {}) });
    } finally {
      // JSON mode: the response is complete here, so the per-request server can go.
      await server.close();
    }
  });
}

import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
import type { PackDefinition } from "../pack/define-pack.js";
import { createPackServer, type PackServerOptions } from "../server/create-pack-server.js";
import { protectedResourceMetadataPath } from "./auth.js";
import { DEFAULT_MAX_BODY_BYTES } from "./body.js";
import { createMcpHttpFront, type McpHttpFrontOptions, type McpHttpHandler } from "./front.js";
import { checkToolScopes } from "./scope-check.js";

/** Options of `createPackHttpHandler`. */
export interface PackHttpOptions extends PackServerOptions, Omit<McpHttpFrontOptions, "resourceName"> {}

/**
 * A Web-standard `(Request) => Promise<Response>` serving one pack over MCP Streamable HTTP,
 * the same code on Node (via `servePackHttp`) and Workers (via `createPackFetchHandler`).
 * The shared front (`createMcpHttpFront`) checks Host/Origin, credential, method and body size;
 * then the called tool's scope for OAuth tokens (403 `insufficient_scope`), then one of two MCP
 * exchanges on the same endpoint: a 2026-07-28 request (per-request `_meta` envelope,
 * `server/discover`) goes to the SDK's `createMcpHandler`, a 2025-11-25 one to a stateless
 * transport. Either way a fresh pack server answers it, so any instance can answer any request
 * and nothing is kept between them.
 */
export function createPackHttpHandler(pack: PackDefinition, options: PackHttpOptions): McpHttpHandler {
  const oauth = options.auth?.oauth;
  const metadataUrl = oauth
    ? new URL(protectedResourceMetadataPath(oauth.resource), oauth.resource).href
    : undefined;
  // The front has read the body within its own limit; the SDK gets the same one.
  const modern = createMcpHandler(() => createPackServer(pack, options), {
    legacy: "reject",
    responseMode: "json",
    maxRequestBodySize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  });
  return createMcpHttpFront({ ...options, resourceName: pack.title }, async (request, { body, authInfo }) => {
    const insufficient = checkToolScopes(body, pack, authInfo, metadataUrl);
    if (insufficient) return insufficient;
    const exchange = { parsedBody: body, ...(authInfo ? { authInfo } : {}) };
    if (!(await isLegacyRequest(request, body))) return modern.fetch(request, exchange);
    return serveLegacyRequest(createPackServer(pack, options), request, exchange);
  });
}

/**
 * One 2025-11-25 request, stateless: a fresh server and transport, a JSON response (the SDK's
 * own stateless 2025 path streams SSE), so any instance answers and nothing is kept.
 */
export async function serveLegacyRequest(
  server: {
    connect(transport: WebStandardStreamableHTTPServerTransport): Promise<void>;
    close(): Promise<void>;
  },
  request: Request,
  exchange: Parameters<WebStandardStreamableHTTPServerTransport["handleRequest"]>[1],
): Promise<Response> {
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request, exchange);
  } finally {
    // JSON mode: the response is complete here, so the per-request server can go.
    await server.close();
  }
}

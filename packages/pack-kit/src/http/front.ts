import type { AuthInfo } from "@modelcontextprotocol/server";
import {
  authenticate,
  type HttpAuthOptions,
  protectedResourceMetadata,
  protectedResourceMetadataPath,
} from "./auth.js";
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from "./body.js";
import { checkHostAndOrigin, type HostOriginPolicy } from "./host-origin.js";

/** Options of `createMcpHttpFront`: what every MCP HTTP endpoint of the project checks. */
export interface McpHttpFrontOptions extends HostOriginPolicy {
  /** Path of the MCP endpoint (default `/mcp`). */
  path?: string;
  /** Credentials the endpoint requires; none by default (fine on 127.0.0.1 only). */
  auth?: HttpAuthOptions;
  /** Largest request body accepted, in bytes; larger ones get 413. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Name shown in the OAuth protected-resource metadata (default "MCP server"). */
  resourceName?: string;
  /**
   * Also pass GET (a session's server stream, or its resumption with `Last-Event-ID`) and DELETE
   * (ending a session) to the exchange, with no body, after the same Host/Origin and credential
   * checks. Only for an endpoint that keeps sessions; default false (405).
   */
  sessionMethods?: boolean;
}

/** What the front learned about a request it let through. */
export interface McpHttpRequestContext {
  /** The JSON-RPC body, already read (within the limit) and parsed. */
  body: unknown;
  /** The verified credential, when the endpoint requires one. */
  authInfo?: AuthInfo;
  /** The peer's IP address, when the server knows it (Node does; Workers do not say). */
  remoteAddress?: string;
}

/** Answers one MCP request the front has let through (typically an SDK transport's handleRequest). */
export type McpExchange = (request: Request, context: McpHttpRequestContext) => Promise<Response>;

/** A Web-standard handler; `remoteAddress` comes from the server that received the request. */
export type McpHttpHandler = (request: Request, peer?: { remoteAddress?: string }) => Promise<Response>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/**
 * The one HTTP front for MCP endpoints (every pack and the code-mode gateway). In order:
 * Host/Origin allow-lists (403, before anything else is read), OAuth protected-resource
 * metadata (public), the credential (401), POST only (405; GET and DELETE too with
 * `sessionMethods`), the body read within
 * `maxBodyBytes` (413) and parsed (400); only then `exchange` runs. Stateless: nothing is kept
 * between requests.
 */
export function createMcpHttpFront(options: McpHttpFrontOptions, exchange: McpExchange): McpHttpHandler {
  const path = options.path ?? "/mcp";
  const auth = options.auth ?? {};
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const metadataPaths = auth.oauth
    ? new Set([protectedResourceMetadataPath(auth.oauth.resource), "/.well-known/oauth-protected-resource"])
    : new Set<string>();
  return async (request, peer) => {
    const refused = checkHostAndOrigin(request, options);
    if (refused) return refused;
    const url = new URL(request.url);
    if (auth.oauth && metadataPaths.has(url.pathname) && request.method === "GET") {
      return json(200, protectedResourceMetadata(auth.oauth, options.resourceName ?? "MCP server"), {
        "cache-control": "max-age=3600",
      });
    }
    if (url.pathname !== path) {
      return json(404, { error: "not_found", error_description: `This server answers MCP at ${path} only.` });
    }
    const outcome = await authenticate(request, auth);
    if (!outcome.ok) return outcome.response;
    if (options.sessionMethods && (request.method === "GET" || request.method === "DELETE")) {
      return exchange(request, {
        body: undefined,
        ...(outcome.authInfo ? { authInfo: outcome.authInfo } : {}),
        ...(peer?.remoteAddress ? { remoteAddress: peer.remoteAddress } : {}),
      });
    }
    if (request.method !== "POST") {
      // Stateless: no server-initiated stream to resume (GET) and no session to end (DELETE).
      return json(
        405,
        { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: use POST." }, id: null },
        { allow: "POST" },
      );
    }
    const body = await readJsonBody(request, maxBodyBytes);
    if (!body.ok) return body.response;
    return exchange(request, {
      body: body.body,
      ...(outcome.authInfo ? { authInfo: outcome.authInfo } : {}),
      ...(peer?.remoteAddress ? { remoteAddress: peer.remoteAddress } : {}),
    });
  };
}

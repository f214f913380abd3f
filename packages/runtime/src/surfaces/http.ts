/**
 * Serves MCP servers over Streamable HTTP, 2026-07-28 and 2025-11-25 from one endpoint
 * (stateless: a fresh server per request) behind pack-kit's shared HTTP front: loopback by default, Host/Origin allow-lists,
 * a credential required beyond loopback, a bounded body. Used by the gateway and by tests.
 */
import { createHash } from "node:crypto";
import type { McpServer } from "@modelcontextprotocol/server";
import {
  createMcpHttpFront,
  DEFAULT_MAX_BODY_BYTES,
  type HttpAuthOptions,
  type McpHttpRequestContext,
  serveLegacyRequest,
} from "@toolpacks/pack-kit/http";
import { listenMcpHttp } from "@toolpacks/pack-kit/http/node";
import type { ConnectableServer } from "../sources/types.js";
import { LegacySessions, type LegacySessionsOptions } from "./http-sessions.js";

export type { HttpAuthOptions } from "@toolpacks/pack-kit/http";

/** Who sent a request, as far as the HTTP front can tell. */
export interface HttpClient {
  /**
   * A stable key for fairness and accounting: `principal:<subject>` for an OAuth token,
   * `token:<fingerprint>` for a static bearer token, else `address:<remote IP>`.
   */
  key: string;
  /** The verified credential, when one was required. */
  authInfo?: McpHttpRequestContext["authInfo"];
  remoteAddress?: string;
}

export interface HttpServeOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1; anything but loopback requires `auth`. */
  host?: string;
  /** Default "/mcp". */
  path?: string;
  /** Bearer tokens and/or OAuth resource-server options. Unset: no credential (loopback only). */
  auth?: HttpAuthOptions;
  /** Extra Host header values to accept (on loopback, in addition to the loopback names at the port). */
  allowedHosts?: readonly string[];
  /** Accepted Origin values; unset: an Origin whose host passes the Host allow-list. */
  allowedOrigins?: readonly string[];
  /** Largest request body in bytes (413 past it). Default 4 MiB. */
  maxBodyBytes?: number;
  /** What is served, for startup errors. Default "the MCP server". */
  what?: string;
  /**
   * Serve 2025-11-25 clients that `initialize` in sessions over SSE, so the server can send them
   * requests mid-call (see `LegacySessions`); `false` (default) answers them statelessly in JSON,
   * where nothing can be sent to them. A session's streams resume: a client reconnects with
   * `Last-Event-ID` (GET) and gets what it missed, within the event store's limits.
   * 2026-07-28 requests are stateless either way.
   */
  legacySessions?: boolean | LegacySessionsOptions;
}

export interface HttpServing {
  url: string;
  port: number;
  close(): Promise<void>;
}

const notAllowed = () =>
  new Response(
    JSON.stringify({
      jsonrpc: "2.0",
      error: { code: -32000, message: "Method not allowed: use POST." },
      id: null,
    }),
    { status: 405, headers: { "content-type": "application/json", allow: "POST" } },
  );

/** The fairness key of a request: its principal, its token's fingerprint, else its address. */
export function clientOf(context: Pick<McpHttpRequestContext, "authInfo" | "remoteAddress">): HttpClient {
  const { authInfo, remoteAddress } = context;
  const subject = (authInfo?.extra as { subject?: unknown } | undefined)?.subject;
  let key: string;
  if (typeof subject === "string") key = `principal:${subject}`;
  else if (authInfo?.token) {
    // A fingerprint, never the token itself: the key shows up in stats and logs.
    key = `token:${createHash("sha256").update(authInfo.token).digest("hex").slice(0, 16)}`;
  } else key = `address:${remoteAddress ?? "unknown"}`;
  return { key, ...(authInfo ? { authInfo } : {}), ...(remoteAddress ? { remoteAddress } : {}) };
}

/**
 * Serves `makeServer()` (called once per request, with who sent it) over MCP Streamable HTTP.
 * Rejects with a one-line `PackKitError` when it cannot start: `credential_required` beyond
 * loopback without `auth`, `port_in_use`, `port_not_permitted`, `address_unavailable`.
 */
export async function serveMcpOverHttp(
  makeServer: (client: HttpClient) => ConnectableServer | Promise<ConnectableServer>,
  options: HttpServeOptions = {},
): Promise<HttpServing> {
  const { createMcpHandler, isLegacyRequest } = await import("@modelcontextprotocol/server");
  const auth = options.auth ?? {};
  let sessions: LegacySessions | undefined;
  const serving = await listenMcpHttp(
    {
      port: options.port ?? 0,
      ...(options.host ? { host: options.host } : {}),
      hasCredential: Boolean(auth.tokens?.length || auth.oauth),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.path ? { path: options.path } : {}),
      what: options.what ?? "the MCP server",
    },
    (allowedHosts) =>
      createMcpHttpFront(
        {
          auth,
          ...(options.path ? { path: options.path } : {}),
          ...(allowedHosts ? { allowedHosts } : {}),
          ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
          ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
          // Sessions are resumed (GET with Last-Event-ID) and ended (DELETE) over other methods.
          ...(options.legacySessions ? { sessionMethods: true } : {}),
        },
        async (request, context) => {
          const exchange = {
            parsedBody: context.body,
            ...(context.authInfo ? { authInfo: context.authInfo } : {}),
          };
          if (request.method !== "POST") {
            // Only sessions get here with GET or DELETE (`sessionMethods`).
            return (
              (await sessions?.handle(request, context.body, clientOf(context), exchange)) ?? notAllowed()
            );
          }
          // Both revisions from one endpoint: a 2026-07-28 request (per-request `_meta`) goes to
          // the SDK's per-request handler, a 2025-11-25 one to a stateless JSON exchange.
          if (!(await isLegacyRequest(request, context.body))) {
            const modern = createMcpHandler(async () => (await makeServer(clientOf(context))) as McpServer, {
              legacy: "reject",
              maxRequestBodySize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
            });
            return modern.fetch(request, exchange);
          }
          if (sessions) {
            const answered = await sessions.handle(request, context.body, clientOf(context), exchange);
            if (answered) return answered;
          }
          return serveLegacyRequest(await makeServer(clientOf(context)), request, exchange);
        },
      ),
  );
  if (!options.legacySessions) return serving;
  // Made after the listener exists, so a refused start leaves no sweeper behind.
  try {
    sessions = new LegacySessions(makeServer, options.legacySessions === true ? {} : options.legacySessions);
  } catch (err) {
    // A bad session option (a limit that is not a number) stops the start: nothing keeps listening.
    await serving.close();
    throw err;
  }
  const open = sessions;
  return {
    ...serving,
    async close() {
      await open.close();
      await serving.close();
    },
  };
}

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PackKitError } from "../errors.js";
import { LOOPBACK_HOSTS } from "../http/host-origin.js";
import { createPackHttpHandler, type PackHttpOptions } from "../http/pack-http-handler.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { sendWebResponse, toWebRequest } from "./web-adapter.js";

/** Options of `servePackHttp`. */
export interface ServeHttpOptions extends PackHttpOptions {
  /** TCP port; 0 picks a free one (read it from the returned `port`). */
  port: number;
  /** Interface to bind (default `127.0.0.1`). Anything but loopback requires `auth`. */
  host?: string;
  /**
   * Host header values to accept. On loopback they add to `localhost:PORT`, `127.0.0.1:PORT`
   * and `[::1]:PORT`; beyond loopback they are the whole list (unset: any host, behind the credential).
   */
  allowedHosts?: readonly string[];
}

/** A running HTTP server. */
export interface RunningHttpServer {
  /** The MCP endpoint URL, e.g. `http://127.0.0.1:3000/mcp`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Whether `host` only reaches this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Serves a pack over MCP Streamable HTTP with Node's http module. Binds 127.0.0.1 by default
 * and then accepts only loopback Host/Origin headers (DNS-rebinding protection). Throws
 * `PackKitError` (`credential_required`) when asked to bind beyond loopback without `auth`.
 */
export async function servePackHttp(
  pack: PackDefinition,
  options: ServeHttpOptions,
): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopbackHost(host);
  const hasCredential = Boolean(options.auth?.tokens?.length || options.auth?.oauth);
  if (!loopback && !hasCredential) {
    throw new PackKitError(
      "credential_required",
      `Refusing to serve ${pack.name} on ${host} without a credential: anyone who can reach the port could read and write the store. Set TOOLPACKS_TOKEN (or pass --token / OAuth options), or bind 127.0.0.1.`,
    );
  }
  let handler: ((request: Request) => Promise<Response>) | undefined;
  const server = createServer((req, res) => {
    const request = toWebRequest(req, res);
    handler!(request)
      .then((response) => sendWebResponse(response, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            jsonrpc: "2.0",
            error: { code: -32603, message: "Internal server error" },
            id: null,
          }),
        );
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const allowedHosts = loopback
    ? [...LOOPBACK_HOSTS.map((h) => `${h}:${port}`), ...(options.allowedHosts ?? [])]
    : options.allowedHosts;
  handler = createPackHttpHandler(pack, { ...options, ...(allowedHosts ? { allowedHosts } : {}) });
  const shownHost = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${options.path ?? "/mcp"}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

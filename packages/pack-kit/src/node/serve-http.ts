import { createPackHttpHandler, type PackHttpOptions } from "../http/pack-http-handler.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { isLoopbackHost, listenMcpHttp, type RunningHttpServer } from "./http-listener.js";

export { isLoopbackHost, type RunningHttpServer };

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

/**
 * Serves a pack over MCP Streamable HTTP with Node's http module. Binds 127.0.0.1 by default
 * and then accepts only loopback Host/Origin headers (DNS-rebinding protection). Throws
 * `PackKitError` (`credential_required`) when asked to bind beyond loopback without `auth`,
 * and a one-line `PackKitError` (`port_in_use`, …) when the port cannot be bound.
 */
export async function servePackHttp(
  pack: PackDefinition,
  options: ServeHttpOptions,
): Promise<RunningHttpServer> {
  return listenMcpHttp(
    {
      port: options.port,
      ...(options.host ? { host: options.host } : {}),
      hasCredential: Boolean(options.auth?.tokens?.length || options.auth?.oauth),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.path ? { path: options.path } : {}),
      what: pack.name,
    },
    (allowedHosts) => createPackHttpHandler(pack, { ...options, ...(allowedHosts ? { allowedHosts } : {}) }),
  );
}

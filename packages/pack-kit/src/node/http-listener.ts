import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PackKitError } from "../errors.js";
import { LOOPBACK_HOSTS } from "../http/host-origin.js";
import { sendWebResponse, toWebRequest } from "./web-adapter.js";

/** Where and how `listenMcpHttp` binds. */
export interface McpHttpListenOptions {
  /** TCP port; 0 picks a free one (read it from the returned `port`). */
  port: number;
  /** Interface to bind (default `127.0.0.1`). Anything but loopback requires `hasCredential`. */
  host?: string;
  /** Whether the handler requires a credential (a bearer token or OAuth). */
  hasCredential: boolean;
  /**
   * Host header values to accept. On loopback they add to `localhost:PORT`, `127.0.0.1:PORT`
   * and `[::1]:PORT`; beyond loopback they are the whole list (unset: any host, behind the credential).
   */
  allowedHosts?: readonly string[];
  /** Path of the MCP endpoint, for the returned URL (default `/mcp`). */
  path?: string;
  /** What is served, for error messages (e.g. "the crm pack", "the code-mode gateway"). */
  what: string;
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

/** One-line, actionable reasons a server could not bind (`PackKitError` codes in brackets). */
function startupError(err: NodeJS.ErrnoException, host: string, port: number): PackKitError {
  const where = `${host}:${port}`;
  switch (err.code) {
    case "EADDRINUSE":
      return new PackKitError(
        "port_in_use",
        `port ${port} on ${host} is already in use: stop the process using it, or pick another port (--http PORT; 0 picks a free one).`,
        { cause: err },
      );
    case "EACCES":
      return new PackKitError(
        "port_not_permitted",
        `not permitted to listen on ${where}: ports below 1024 need privileges; pick a port of 1024 or more.`,
        { cause: err },
      );
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new PackKitError(
        "address_unavailable",
        `cannot listen on ${where}: ${host} is not an address of this machine; use 127.0.0.1 or one of its interfaces.`,
        { cause: err },
      );
    default:
      return new PackKitError("listen_failed", `cannot listen on ${where}: ${err.message}`, { cause: err });
  }
}

/**
 * Serves a Web-standard MCP handler (`createMcpHttpFront`'s) with Node's http module: the one
 * Node listener behind every pack and the code-mode gateway. `makeHandler` receives the Host
 * allow-list, which depends on the bound port: loopback names at that port (DNS-rebinding
 * protection) plus `allowedHosts`. Throws `PackKitError` before binding when asked to bind
 * beyond loopback without a credential (`credential_required`), and with a one-line message when
 * the port cannot be bound (`port_in_use`, `port_not_permitted`, `address_unavailable`).
 */
export async function listenMcpHttp(
  options: McpHttpListenOptions,
  makeHandler: (
    allowedHosts: readonly string[] | undefined,
  ) => (request: Request, peer?: { remoteAddress?: string }) => Promise<Response>,
): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopbackHost(host);
  if (!loopback && !options.hasCredential) {
    throw new PackKitError(
      "credential_required",
      `Refusing to serve ${options.what} on ${host} without a credential: anyone who can reach the port could call its tools. Set TOOLPACKS_TOKEN (or pass --token / OAuth options), or bind 127.0.0.1.`,
    );
  }
  let handler: ReturnType<typeof makeHandler> | undefined;
  const server = createServer((req, res) => {
    const request = toWebRequest(req, res);
    handler!(request, { remoteAddress: req.socket.remoteAddress })
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
    server.once("error", (err) => reject(startupError(err as NodeJS.ErrnoException, host, options.port)));
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  handler = makeHandler(
    loopback
      ? [...LOOPBACK_HOSTS.map((h) => `${h}:${port}`), ...(options.allowedHosts ?? [])]
      : options.allowedHosts,
  );
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

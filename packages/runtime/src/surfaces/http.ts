/**
 * Serves MCP servers over Streamable HTTP (stateless: a fresh server and transport per
 * request) on a Node HTTP server. Used by the gateway and by tests.
 */
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { ConnectableServer } from "../sources/types.js";

export interface HttpServeOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default "/mcp". */
  path?: string;
  /** Return false to answer 401 (e.g. check an Authorization header). */
  authorize?: (req: IncomingMessage) => boolean;
}

export interface HttpServing {
  url: string;
  port: number;
  server: HttpServer;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024 * 1024) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

export async function serveMcpOverHttp(
  makeServer: () => ConnectableServer | Promise<ConnectableServer>,
  options: HttpServeOptions = {},
): Promise<HttpServing> {
  const { StreamableHTTPServerTransport } = await import(
    "@modelcontextprotocol/sdk/server/streamableHttp.js"
  );
  const path = options.path ?? "/mcp";
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname !== path) {
        res.writeHead(404).end("not found");
        return;
      }
      if (options.authorize && !options.authorize(req)) {
        res
          .writeHead(401, { "content-type": "application/json" })
          .end(JSON.stringify({ error: "unauthorized" }));
        return;
      }
      if (req.method !== "POST") {
        res.writeHead(405, { allow: "POST" }).end("method not allowed");
        return;
      }
      const body = await readBody(req);
      const server = await makeServer();
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (err) {
      if (!res.headersSent) {
        res.writeHead(400, { "content-type": "application/json" }).end(
          JSON.stringify({
            jsonrpc: "2.0",
            error: { code: -32700, message: String((err as Error).message ?? err) },
            id: null,
          }),
        );
      }
    }
  };
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${addr.port}${path}`,
    port: addr.port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

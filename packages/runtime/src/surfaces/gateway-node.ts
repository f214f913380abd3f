/** Node serving of the code-mode gateway: stdio and Streamable HTTP. */
import type { CodeMode } from "../code-mode.js";
import { createGatewayServer, type GatewayOptions } from "./gateway.js";
import { type HttpServeOptions, type HttpServing, serveMcpOverHttp } from "./http.js";
import { RunQueue, type RunQueueOptions } from "./run-queue.js";

/** Options of the gateway's HTTP serving: where and for whom (HTTP), and how runs queue. */
export interface GatewayHttpOptions extends HttpServeOptions {
  /**
   * The run queue's bounds (see `RunQueue`): defaults 2 runs at once, 1 per client, 64 waiting,
   * 4 waiting per client. Ignored when `GatewayOptions.runQueue` is given.
   */
  queue?: RunQueueOptions;
}

/** Serves the gateway over stdio (Node). Resolves when stdin closes. */
export async function serveGatewayStdio(cm: CodeMode, options?: GatewayOptions): Promise<void> {
  const { StdioServerTransport } = await import("@modelcontextprotocol/server/stdio");
  const server = createGatewayServer(cm, options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => resolve());
  });
  await server.connect(transport);
  await closed;
}

/**
 * Serves the gateway over Streamable HTTP behind the shared HTTP front (loopback by default,
 * Host/Origin allow-lists, a credential required beyond loopback, a bounded body). Every
 * `execute` waits in one bounded run queue, fair across clients: a client is its OAuth
 * principal, else its bearer token, else its remote address.
 */
export async function serveGatewayHttp(
  cm: CodeMode,
  http: GatewayHttpOptions = {},
  options: GatewayOptions = {},
): Promise<HttpServing & { runQueue: RunQueue }> {
  const runQueue = options.runQueue ?? new RunQueue(http.queue);
  const serving = await serveMcpOverHttp(
    (client) => createGatewayServer(cm, { ...options, runQueue, client: client.key }),
    { what: "the code-mode gateway", ...http },
  );
  return { ...serving, runQueue };
}

/** Node serving of the code-mode gateway: stdio and Streamable HTTP. */
import type { Readable, Writable } from "node:stream";
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

/** Options of the gateway's stdio serving. */
export interface GatewayStdioOptions extends GatewayOptions {
  /**
   * The run queue's bounds (see `RunQueue`). Stdio has one client, so by default it may use every
   * slot and every waiting place: 2 runs at once, 64 waiting, then `BUSY`. Ignored when `runQueue`
   * is given.
   */
  queue?: RunQueueOptions;
  /** Where requests come from (default `process.stdin`). */
  stdin?: Readable;
  /** Where answers go (default `process.stdout`). */
  stdout?: Writable;
}

/** The stdio gateway's queue: bounded like the HTTP gateway's, with its one client allowed every slot and place. */
export function stdioRunQueue(queue: RunQueueOptions = {}): RunQueue {
  const concurrency = queue.concurrency ?? 2;
  const maxQueued = queue.maxQueued ?? 64;
  return new RunQueue({
    ...queue,
    concurrency,
    maxQueued,
    perClientConcurrency: queue.perClientConcurrency ?? concurrency,
    perClientQueued: queue.perClientQueued ?? maxQueued,
  });
}

/**
 * Serves the gateway over stdio (Node), 2026-07-28 and 2025-11-25 alike: the client's first
 * message picks the revision. Resolves when stdin closes. Every `execute` waits in a bounded run
 * queue (`stdioRunQueue`); past it, `BUSY` at once with `retryAfterMs`, nothing run.
 */
export async function serveGatewayStdio(cm: CodeMode, options: GatewayStdioOptions = {}): Promise<void> {
  const { serveStdio, StdioServerTransport } = await import("@modelcontextprotocol/server/stdio");
  const { queue, stdin = process.stdin, stdout = process.stdout, ...gateway } = options;
  const runQueue = gateway.runQueue ?? stdioRunQueue(queue);
  const closed = new Promise<void>((resolve) => {
    stdin.once("end", () => resolve());
    stdin.once("close", () => resolve());
  });
  const handle = serveStdio(() => createGatewayServer(cm, { ...gateway, runQueue }), {
    transport: new StdioServerTransport(stdin, stdout),
  });
  await closed;
  await handle.close();
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

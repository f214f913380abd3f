/** Node serving of the code-mode gateway: stdio and Streamable HTTP. */
import type { Readable, Writable } from "node:stream";
import type { CodeMode } from "../code-mode.js";
import { approvalKeysFromEnv } from "../governance/approvals/state-token.js";
import { createGatewayServer, type GatewayOptions } from "./gateway.js";
import { GatewayApprovals, type GatewayApprovalsOptions } from "./gateway-approvals.js";
import { type HttpServeOptions, type HttpServing, serveMcpOverHttp } from "./http.js";
import { RunQueue, type RunQueueOptions } from "./run-queue.js";

/** Options of the gateway's HTTP serving: where and for whom (HTTP), and how runs queue. */
export interface GatewayHttpOptions extends HttpServeOptions {
  /**
   * The run queue's bounds (see `RunQueue`): defaults 2 runs at once, 1 per client, 64 waiting,
   * 4 waiting per client. Ignored when `GatewayOptions.runQueue` is given.
   */
  queue?: RunQueueOptions;
  /** How runs park for a 2026-07-28 client's approvals (see `gatewayApprovals`). Ignored when `GatewayOptions.approvals` is given. */
  approvalParking?: GatewayApprovalsOptions;
}

/**
 * The parked-run registry of a Node gateway: its state-token keys from `TOOLPACKS_APPROVAL_KEYS`
 * (comma-separated `id:secret`, the first signing) unless `options.keys` is given, else a random
 * per-process key.
 */
export function gatewayApprovals(options: GatewayApprovalsOptions = {}): GatewayApprovals {
  const keys = options.keys ?? approvalKeysFromEnv(process.env.TOOLPACKS_APPROVAL_KEYS);
  return new GatewayApprovals({ ...options, ...(keys ? { keys } : {}) });
}

/** Options of the gateway's stdio serving. */
export interface GatewayStdioOptions extends GatewayOptions {
  /**
   * The run queue's bounds (see `RunQueue`). Stdio has one client, so by default it may use every
   * slot and every waiting place: 2 runs at once, 64 waiting, then `BUSY`. Ignored when `runQueue`
   * is given.
   */
  queue?: RunQueueOptions;
  /** How runs park for a 2026-07-28 client's approvals. Ignored when `approvals` is given. */
  approvalParking?: GatewayApprovalsOptions;
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
  const { queue, approvalParking, stdin = process.stdin, stdout = process.stdout, ...gateway } = options;
  const runQueue = gateway.runQueue ?? stdioRunQueue(queue);
  const approvals = gateway.approvals ?? gatewayApprovals(approvalParking);
  const closed = new Promise<void>((resolve) => {
    stdin.once("end", () => resolve());
    stdin.once("close", () => resolve());
    // A client that leaves first closes the pipe we answer on: nobody reads any more, so the
    // gateway stops as it does when stdin ends. EPIPE is how the pipe says so, not a failure:
    // the listener stays so a late write cannot crash the process with a stack either.
    stdout.once("close", () => resolve());
    stdout.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED" || err.code === "ECONNRESET") resolve();
    });
  });
  const handle = serveStdio(() => createGatewayServer(cm, { ...gateway, runQueue, approvals }), {
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
): Promise<HttpServing & { runQueue: RunQueue; approvals: GatewayApprovals }> {
  const runQueue = options.runQueue ?? new RunQueue(http.queue);
  // Shared by the per-request servers: a client's retry reaches the run its first request parked.
  const approvals = options.approvals ?? gatewayApprovals(http.approvalParking);
  const serving = await serveMcpOverHttp(
    (client) => createGatewayServer(cm, { ...options, runQueue, approvals, client: client.key }),
    // 2025-11-25 clients get sessions over SSE, so approvals and forwarded requests can reach them.
    { what: "the code-mode gateway", legacySessions: true, ...http },
  );
  return { ...serving, runQueue, approvals };
}

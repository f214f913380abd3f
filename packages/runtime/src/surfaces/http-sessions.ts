/**
 * 2025-11-25 sessions over Streamable HTTP with SSE: a client that sends `initialize` gets a
 * session (`Mcp-Session-Id`) served by its own server, and each POST's answer is an SSE stream on
 * which that server may send the client requests mid-call (elicitation for approvals, a source's
 * forwarded roots / elicitation / sampling). Every request still passes the shared HTTP front
 * first (Host/Origin allow-lists, the credential); a session also belongs to the client that
 * opened it (its principal, token fingerprint or address), and a request of another client naming
 * it is answered as if it did not exist. Bounded (`maxSessions`) and ended after `idleMs` without a
 * request (or on DELETE).
 *
 * Streams resume: every message a session sends on SSE is kept in its bounded event store
 * (`SessionEventStore`), so a client whose stream drops reconnects (GET with `Last-Event-ID`) and
 * gets what it missed, in order, once. A call whose stream dropped waits `resumeWindowMs` for that;
 * not resumed by then, or dropped before any event id reached the client, it is cancelled (as
 * `notifications/cancelled` would), so a call waiting on that client's answer is refused, never sent.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/server";
import type { ConnectableServer } from "../sources/types.js";
import { EventStoreBudget, type EventStoreLimits, SessionEventStore } from "./gateway-http-event-store.js";
import { DroppedStreams } from "./gateway-http-resume.js";
import type { HttpClient } from "./http.js";

export interface LegacySessionsOptions {
  /** Sessions open at once; past it `initialize` gets 503. Default 256. */
  maxSessions?: number;
  /** A session with no request for this long is closed. Default 30 minutes. */
  idleMs?: number;
  /** Limits of each session's event store (what a resuming client can get back); see `EventStoreLimits`. */
  events?: EventStoreLimits & {
    /**
     * Bytes all sessions' event stores may hold together; past it the oldest events across
     * sessions are dropped first. Default 64 MiB.
     */
    maxTotalBytes?: number;
  };
  /**
   * How long a call whose stream dropped waits for its client to resume it before it is
   * cancelled. Default 60 s; at most the events' age limit.
   */
  resumeWindowMs?: number;
  /** The reconnection delay suggested to clients (SSE `retry`). Default 1000 ms. */
  retryMs?: number;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: ConnectableServer;
  client: string;
  lastSeen: number;
  events: SessionEventStore;
  dropped: DroppedStreams;
}

type Exchange = Parameters<WebStandardStreamableHTTPServerTransport["handleRequest"]>[1];

const jsonRpcError = (status: number, code: number, message: string) =>
  new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json" },
  });

export class LegacySessions {
  private readonly sessions = new Map<string, Session>();
  private readonly maxSessions: number;
  private readonly idleMs: number;
  private readonly eventLimits: EventStoreLimits;
  private readonly eventBudget: EventStoreBudget;
  private readonly resumeWindowMs: number;
  private readonly retryMs: number;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly makeServer: (client: HttpClient) => ConnectableServer | Promise<ConnectableServer>,
    options: LegacySessionsOptions = {},
  ) {
    this.maxSessions = options.maxSessions ?? 256;
    this.idleMs = options.idleMs ?? 30 * 60_000;
    const { maxTotalBytes, ...perSession } = options.events ?? {};
    this.eventLimits = perSession;
    this.eventBudget = new EventStoreBudget(maxTotalBytes);
    this.resumeWindowMs = nonNegative(options.resumeWindowMs, 60_000, "resumeWindowMs");
    this.retryMs = nonNegative(options.retryMs, 1000, "retryMs");
    // Checked once here, so a bad limit fails at start, not at the first session.
    new SessionEventStore(this.eventLimits);
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleMs, 60_000));
    (this.sweeper as { unref?: () => void }).unref?.();
  }

  /** Sessions open right now. */
  get size(): number {
    return this.sessions.size;
  }

  /**
   * Answers a 2025-11-25 request from `client`: in its session (a POST, the session's GET stream,
   * a GET resuming a stream with `Last-Event-ID`, DELETE), or opening one on `initialize`. Returns
   * undefined for a request that neither names a session nor opens one (the caller serves it
   * statelessly).
   */
  async handle(
    request: Request,
    body: unknown,
    client: HttpClient,
    exchange: Exchange,
  ): Promise<Response | undefined> {
    const id = request.headers.get("mcp-session-id");
    if (id !== null) {
      const session = this.sessions.get(id);
      // Another client's session id is answered like an unknown one: nothing says it exists.
      if (!session || session.client !== client.key) {
        return jsonRpcError(404, -32001, "Session not found: start a new session with initialize.");
      }
      session.lastSeen = Date.now();
      const lastEventId = request.method === "GET" ? request.headers.get("last-event-id") : null;
      if (lastEventId !== null) {
        const point = session.events.check(lastEventId);
        if (!point.ok) return jsonRpcError(point.status, -32000, point.message);
        const resumed = await session.transport.handleRequest(request, exchange);
        return session.dropped.watchResume(request, point.streamId, resumed);
      }
      const answer = await session.transport.handleRequest(request, exchange);
      return session.dropped.watch(request, requestIds(body), answer);
    }
    // GET or DELETE without a session: nothing to stream or end (the caller answers 405).
    if (request.method !== "POST" || !isInitialize(body)) return undefined;
    if (this.sessions.size >= this.maxSessions) {
      return jsonRpcError(
        503,
        -32000,
        `This gateway already has ${this.maxSessions} open sessions, its limit; retry later or use the 2026-07-28 revision (no session).`,
      );
    }
    const server = await this.makeServer(client);
    const events = new SessionEventStore(this.eventLimits, Date.now, this.eventBudget);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      eventStore: events,
      retryInterval: this.retryMs,
      onsessioninitialized: (sessionId) => {
        this.sessions.set(sessionId, {
          transport,
          server,
          client: client.key,
          lastSeen: Date.now(),
          events,
          dropped,
        });
      },
      onsessionclosed: (sessionId) => void this.end(sessionId),
    });
    const windowMs = Math.min(this.resumeWindowMs, events.maxAgeMs);
    const dropped = new DroppedStreams(
      windowMs,
      (eventId) => events.streamOf(eventId),
      (streamId, ids) => events.answered(streamId, ids),
      (ids) => cancelRequests(transport, ids, windowMs),
    );
    await server.connect(transport);
    return dropped.watch(request, requestIds(body), await transport.handleRequest(request, exchange));
  }

  /** Closes every session. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id)));
  }

  private async end(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    session.dropped.close();
    session.events.dispose();
    await session.server.close().catch(() => {});
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) {
      if (now - s.lastSeen >= this.idleMs) void this.end(id);
      else s.events.prune();
    }
  }
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `legacySessions.${name} must be a whole number of milliseconds (0 or more), got ${String(value)}.`,
    );
  }
  return value;
}

function isInitialize(body: unknown): boolean {
  const first = Array.isArray(body) ? body[0] : body;
  return (first as { method?: unknown } | undefined)?.method === "initialize";
}

/** The ids of the requests (not notifications or responses) a POST carries. */
function requestIds(body: unknown): Array<string | number> {
  return (Array.isArray(body) ? body : [body])
    .map((m) => (m as { id?: unknown; method?: unknown } | undefined) ?? {})
    .filter((m) => typeof m.method === "string" && (typeof m.id === "string" || typeof m.id === "number"))
    .map((m) => m.id as string | number);
}

/**
 * Cancels requests in the session's server, as their `notifications/cancelled` would: a run
 * waiting on this client (an approval, a forwarded request) then ends and sends nothing. Each is
 * answered with an error saying why, kept in the event store, so a client that resumes late learns
 * it instead of waiting for an answer that will not come. A request already answered ignores both.
 */
function cancelRequests(
  transport: WebStandardStreamableHTTPServerTransport,
  ids: readonly (string | number)[],
  windowMs: number,
): void {
  const reason = `the client's stream closed and was not resumed within ${windowMs} ms (the gateway's resume window)`;
  for (const requestId of ids) {
    transport.onmessage?.({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId, reason },
    });
    transport
      .send({
        jsonrpc: "2.0",
        id: requestId,
        error: {
          code: -32000,
          message: `Cancelled: ${reason}. Calls waiting for approval were refused, not sent. Retry the call, and reconnect sooner with Last-Event-ID.`,
        },
      })
      .catch(() => {});
  }
}

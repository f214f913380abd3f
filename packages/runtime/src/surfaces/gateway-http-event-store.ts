/**
 * The bounded, in-memory event store of one 2025-11-25 session (the SDK's `EventStore`): every
 * message the session's server sends on an SSE stream is kept under an event id, so a client whose
 * stream dropped reconnects with `Last-Event-ID` and gets what it missed, in order, once. One store
 * per session, dropped with it: an event id names its session (a random tag), so it replays nothing
 * in another session, and the session itself answers its owner only. It keeps nothing but the
 * messages the stream already carried.
 *
 * Bounded four ways, oldest first: events per stream, bytes per session (UTF-8 JSON), age, and
 * bytes across all sessions (`EventStoreBudget`, shared by a gateway's stores). An event dropped
 * past a limit leaves a gap; resuming from before it is refused with a message that names the
 * limit (`check`), never answered with the gap silently skipped.
 */
import type { EventId, EventStore, JSONRPCMessage, StreamId } from "@modelcontextprotocol/server";

/** Limits of a session's event store. */
export interface EventStoreLimits {
  /** Events kept per stream (one per POST, plus the session's GET stream); older ones are dropped. Default 256. */
  maxEventsPerStream?: number;
  /** Bytes of messages (UTF-8 JSON) kept per session; past it the oldest are dropped. Default 2 MiB. */
  maxBytes?: number;
  /** An event older than this is dropped. Default 5 minutes. */
  maxAgeMs?: number;
}

/**
 * The bytes every session's event store may hold together (UTF-8 JSON of the kept messages). Past
 * it the oldest events across all sessions are dropped first, whichever session they belong to,
 * so the worst case is this budget, not sessions x `maxBytes`.
 */
export class EventStoreBudget {
  readonly maxBytes: number;
  private bytes = 0;
  /** Every kept event of every store, oldest first (dropped ones are skipped lazily). */
  private queue: Array<{ store: SessionEventStore; event: StoredEvent }> = [];
  private head = 0;

  /** `maxBytes`: default 64 MiB. */
  constructor(maxBytes?: number) {
    this.maxBytes = positive(maxBytes, 64 * 1024 * 1024, "maxTotalBytes");
  }

  /** Bytes held by all stores right now. */
  get size(): number {
    return this.bytes;
  }

  /** @internal A store kept `event`: counts it, then drops the oldest events past the budget. */
  add(store: SessionEventStore, event: StoredEvent): void {
    this.bytes += event.bytes;
    this.queue.push({ store, event });
    while (this.bytes > this.maxBytes) {
      const oldest = this.queue[this.head];
      if (oldest === undefined) break;
      this.head++;
      if (!oldest.event.dropped)
        oldest.store.dropForBudget(oldest.event, `the limit of ${this.maxBytes} bytes across all sessions`);
    }
    while (this.queue[this.head]?.event.dropped) this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** @internal A store dropped an event (any limit, or its session ended). */
  release(bytes: number): void {
    this.bytes -= bytes;
  }
}

/** Where `Last-Event-ID` resumes, or why it cannot (HTTP status and a message for the client). */
export type ResumePoint =
  | { ok: true; streamId: StreamId }
  | { ok: false; status: 400 | 410; message: string };

interface StoredEvent {
  seq: number;
  id: EventId;
  streamId: StreamId;
  /** A priming event (empty data): it marks a resume point and is never replayed as a message. */
  priming: boolean;
  message: JSONRPCMessage;
  bytes: number;
  at: number;
  dropped: boolean;
}

interface StreamRecord {
  index: number;
  streamId: StreamId;
  events: StoredEvent[];
  /** Highest sequence number ever given to this stream. */
  lastSeq: number;
  /** Highest sequence number dropped from this stream, and the limit that dropped it. */
  droppedThrough: number;
  droppedBy?: string;
}

const EVENT_ID = /^([0-9a-f]{12})-(\d{1,9})-(\d{1,15})$/;
const utf8 = new TextEncoder();

/** A session's event store; see the module comment for its guarantees and limits. */
export class SessionEventStore implements EventStore {
  readonly maxEventsPerStream: number;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  private readonly tag = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  private readonly streams = new Map<StreamId, StreamRecord>();
  private readonly byIndex = new Map<number, StreamRecord>();
  /** Every kept event, oldest first (dropped ones are skipped lazily). */
  private queue: StoredEvent[] = [];
  private head = 0;
  private seq = 0;
  private nextIndex = 0;
  private bytes = 0;

  constructor(
    limits: EventStoreLimits = {},
    private readonly now: () => number = Date.now,
    /** The gateway's budget across sessions; unset, this store is bounded by its own limits only. */
    private readonly budget?: EventStoreBudget,
  ) {
    this.maxEventsPerStream = positive(limits.maxEventsPerStream, 256, "maxEventsPerStream");
    this.maxBytes = positive(limits.maxBytes, 2 * 1024 * 1024, "maxBytes");
    this.maxAgeMs = positive(limits.maxAgeMs, 5 * 60_000, "maxAgeMs");
  }

  /** Bytes of messages kept right now. */
  get size(): number {
    return this.bytes;
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const stream = this.stream(streamId);
    const seq = ++this.seq;
    const priming = !("jsonrpc" in message);
    const bytes = priming ? 0 : utf8.encode(JSON.stringify(message)).byteLength;
    const event: StoredEvent = {
      seq,
      id: `${this.tag}-${stream.index}-${seq}`,
      streamId,
      priming,
      message,
      bytes,
      at: this.now(),
      dropped: false,
    };
    stream.events.push(event);
    stream.lastSeq = seq;
    this.queue.push(event);
    this.bytes += bytes;
    this.budget?.add(this, event);
    while (stream.events.length > this.maxEventsPerStream) {
      this.drop(stream.events[0]!, `the limit of ${this.maxEventsPerStream} events per stream`);
    }
    this.prune();
    return event.id;
  }

  /**
   * Where a client's `Last-Event-ID` resumes: its stream, when every event after it is still kept.
   * Refused with 400 for an id this session never gave (another session's, or made up), and with
   * 410 when events after it were dropped past a limit (the message names which).
   */
  check(lastEventId: string): ResumePoint {
    this.prune();
    const match = EVENT_ID.exec(lastEventId);
    const notOurs: ResumePoint = {
      ok: false,
      status: 400,
      message: `Last-Event-ID ${JSON.stringify(lastEventId.slice(0, 80))} is not an event of this session: resume with the id of the last event this session's stream sent you, or open a new session.`,
    };
    if (!match || match[1] !== this.tag) return notOurs;
    const seq = Number(match[3]);
    const index = Number(match[2]);
    const stream = this.byIndex.get(index);
    if (stream === undefined) {
      const wasGiven = index < this.nextIndex && seq <= this.seq;
      return wasGiven ? this.gone(lastEventId, "its stream's events all expired or were dropped") : notOurs;
    }
    if (seq > stream.lastSeq) return notOurs;
    if (stream.droppedThrough > seq)
      return this.gone(lastEventId, `events after it were dropped past ${stream.droppedBy}`);
    return { ok: true, streamId: stream.streamId };
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const point = this.check(lastEventId);
    if (!point.ok) throw new Error(point.message);
    const stream = this.streams.get(point.streamId)!;
    let cursor = Number(EVENT_ID.exec(lastEventId)![3]);
    // Walks the live list: an event stored while an earlier one is being sent is sent too, so
    // nothing falls between the replay and the transport's switch to live writes.
    for (;;) {
      if (stream.droppedThrough > cursor)
        throw new Error(
          `events after ${lastEventId} were dropped past ${stream.droppedBy} during the replay`,
        );
      const next = stream.events.find((e) => e.seq > cursor);
      if (next === undefined) break;
      cursor = next.seq;
      if (!next.priming) await send(next.id, next.message);
    }
    return point.streamId;
  }

  /**
   * Whether the stream holds an answer (result or error) for each of `requestIds`: a stream that
   * ended with them all answered has nothing more to wait for.
   */
  answered(streamId: StreamId, requestIds: readonly (string | number)[]): boolean {
    const stream = this.streams.get(streamId);
    if (stream === undefined) return false;
    const answers = new Set<unknown>();
    for (const e of stream.events) {
      const m = e.message as { id?: unknown; result?: unknown; error?: unknown };
      if ("id" in m && ("result" in m || "error" in m)) answers.add(m.id);
    }
    return requestIds.every((id) => answers.has(id));
  }

  /** The stream an event id of this session belongs to, if it is still kept. */
  streamOf(eventId: string): StreamId | undefined {
    const match = EVENT_ID.exec(eventId);
    if (!match || match[1] !== this.tag) return undefined;
    return this.byIndex.get(Number(match[2]))?.streamId;
  }

  /** Drops events past their age and the session's byte budget, oldest first. */
  prune(): void {
    const oldest = this.now() - this.maxAgeMs;
    for (;;) {
      const event = this.queue[this.head];
      if (event === undefined) break;
      if (event.dropped) {
        this.head++;
        continue;
      }
      if (event.at < oldest) this.drop(event, `the age limit of ${this.maxAgeMs} ms`);
      else if (this.bytes > this.maxBytes)
        this.drop(event, `the limit of ${this.maxBytes} bytes per session`);
      else break;
    }
    // Compacts now and then, so the queue does not keep dropped events forever.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** @internal The shared budget drops this store's `event` (the oldest across sessions). */
  dropForBudget(event: StoredEvent, limit: string): void {
    this.drop(event, limit);
  }

  /** The session ended: every kept event is dropped, and the shared budget gets its bytes back. */
  dispose(): void {
    for (const event of this.queue.slice(this.head)) this.drop(event, "the end of the session");
    this.queue = [];
    this.head = 0;
  }

  private stream(streamId: StreamId): StreamRecord {
    let stream = this.streams.get(streamId);
    if (stream === undefined) {
      stream = { index: this.nextIndex++, streamId, events: [], lastSeq: 0, droppedThrough: 0 };
      this.streams.set(streamId, stream);
      this.byIndex.set(stream.index, stream);
    }
    return stream;
  }

  private drop(event: StoredEvent, limit: string): void {
    if (event.dropped) return;
    event.dropped = true;
    this.bytes -= event.bytes;
    this.budget?.release(event.bytes);
    const stream = this.streams.get(event.streamId)!;
    stream.events.splice(stream.events.indexOf(event), 1);
    if (event.seq > stream.droppedThrough) {
      stream.droppedThrough = event.seq;
      stream.droppedBy = limit;
    }
    if (stream.events.length === 0 && stream.lastSeq === event.seq) {
      // Nothing left to replay and nothing newer: the stream is forgotten (its ids now get 410).
      this.streams.delete(stream.streamId);
      this.byIndex.delete(stream.index);
    }
  }

  private gone(lastEventId: string, why: string): ResumePoint {
    return {
      ok: false,
      status: 410,
      message: `Cannot resume after Last-Event-ID ${lastEventId}: ${why}, so what was sent after it cannot be replayed. A session keeps its events for ${this.maxAgeMs} ms, at most ${this.maxEventsPerStream} per stream and ${this.maxBytes} bytes in all${this.budget ? `, within ${this.budget.maxBytes} bytes across all sessions` : ""}. Retry the call (a write with an idempotency key is not repeated) or open a new session.`,
    };
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/**
 * What happens to a session's calls when their SSE stream drops. A call whose stream the client
 * can resume (it has received an event id) waits `windowMs` for the client to reconnect with
 * `Last-Event-ID`; reconnected, it goes on and its answer arrives on the new stream. Not back in
 * time, its requests are cancelled in the session's server, as their `notifications/cancelled`
 * would: a run waiting on that client (an approval, a forwarded request) ends and sends nothing,
 * and the caller's `cancel` answers them with an error a late resume replays. A
 * call whose stream dropped before any event id reached the client cannot be resumed and is
 * cancelled at once.
 *
 * Each watched response body is also cancelled when its connection closes, so the SDK transport
 * forgets the dead stream at once (a resume then takes its place instead of a 409) and stops
 * writing keep-alives into it.
 */
import type { StreamId } from "@modelcontextprotocol/server";

type RequestId = string | number;

interface StreamState {
  requestIds: RequestId[];
  /** Open connections carrying the stream (the POST, then each resuming GET). */
  live: number;
  timer?: ReturnType<typeof setTimeout>;
}

/** Reads the SDK's SSE body as it passes: the first event id names the stream. */
const EVENT_ID_LINE = /(?:^|\n)id: ?([^\n\r]*)\r?\n/;
const SCAN_LIMIT = 4096;

/** The dropped-stream tracking of one session. */
export class DroppedStreams {
  private readonly streams = new Map<StreamId, StreamState>();

  constructor(
    private readonly windowMs: number,
    /** Where an event id belongs (the session's event store). */
    private readonly streamOf: (eventId: string) => StreamId | undefined,
    /** Whether the stream already answered all of these requests. */
    private readonly answered: (streamId: StreamId, requestIds: readonly RequestId[]) => boolean,
    /** Cancels requests in the session's server. */
    private readonly cancel: (requestIds: readonly RequestId[]) => void,
  ) {}

  /**
   * Watches a new request's response: a POST's SSE stream carrying `requestIds`, or the
   * session's GET stream (no ids). Returns the response to send.
   */
  watch(request: Request, requestIds: readonly RequestId[], response: Response): Response {
    let streamId: StreamId | undefined;
    return this.pipe(request, response, {
      onEventId: (eventId) => {
        if (streamId !== undefined || requestIds.length === 0) return;
        streamId = this.streamOf(eventId);
        if (streamId === undefined) return;
        const state = this.state(streamId);
        state.requestIds.push(...requestIds);
        this.attach(state);
      },
      onClose: () => {
        if (streamId !== undefined) this.detach(streamId);
        // No event id reached the client: nothing to resume from.
        else if (requestIds.length > 0 && isEventStream(response)) this.cancel(requestIds);
      },
    });
  }

  /** Watches a GET that resumes `streamId` with `Last-Event-ID`. */
  watchResume(request: Request, streamId: StreamId, response: Response): Response {
    const state = this.streams.get(streamId);
    if (!response.ok) return response;
    // A stream with no call to keep (the session's GET stream, a finished call) is still released
    // when its connection closes.
    if (state === undefined) return this.pipe(request, response, { onClose: () => {} });
    this.attach(state);
    return this.pipe(request, response, { onClose: () => this.detach(streamId) });
  }

  /** Forgets every stream and its timer (the session ended). */
  close(): void {
    for (const state of this.streams.values()) clearTimeout(state.timer);
    this.streams.clear();
  }

  private state(streamId: StreamId): StreamState {
    let state = this.streams.get(streamId);
    if (state === undefined) {
      state = { requestIds: [], live: 0 };
      this.streams.set(streamId, state);
    }
    return state;
  }

  private attach(state: StreamState): void {
    state.live++;
    clearTimeout(state.timer);
    state.timer = undefined;
  }

  private detach(streamId: StreamId): void {
    const state = this.streams.get(streamId);
    if (state === undefined) return;
    state.live = Math.max(0, state.live - 1);
    if (state.live > 0) return;
    if (this.answered(streamId, state.requestIds)) {
      this.streams.delete(streamId);
      return;
    }
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      this.streams.delete(streamId);
      // Answered meanwhile (the answer was kept for a resume): nothing left to cancel.
      if (!this.answered(streamId, state.requestIds)) this.cancel(state.requestIds);
    }, this.windowMs);
    (state.timer as { unref?: () => void }).unref?.();
  }

  /**
   * Passes `response`'s body through, reporting event ids to `onEventId` until the first, and
   * calling `onClose` once when the client's connection closes (or the body ends). The SDK's body
   * is cancelled when the connection closes.
   */
  private pipe(
    request: Request,
    response: Response,
    hooks: { onEventId?: (id: string) => void; onClose: () => void },
  ): Response {
    const source = response.body;
    if (source === null || !isEventStream(response)) {
      if (hooks.onEventId === undefined) hooks.onClose();
      return response;
    }
    const reader = source.getReader();
    const decoder = new TextDecoder();
    let scanned = hooks.onEventId ? "" : undefined;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      request.signal.removeEventListener("abort", close);
      reader.cancel().catch(() => {});
      hooks.onClose();
    };
    const body = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
        if (done) {
          controller.close();
          close();
          return;
        }
        if (scanned !== undefined) {
          scanned += decoder.decode(value, { stream: true });
          const id = EVENT_ID_LINE.exec(scanned)?.[1];
          if (id !== undefined) hooks.onEventId?.(id);
          if (id !== undefined || scanned.length > SCAN_LIMIT) scanned = undefined;
        }
        controller.enqueue(value);
      },
      cancel: () => close(),
    });
    if (request.signal.aborted) queueMicrotask(close);
    else request.signal.addEventListener("abort", close, { once: true });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }
}

function isEventStream(response: Response): boolean {
  return response.headers.get("content-type")?.includes("text/event-stream") ?? false;
}

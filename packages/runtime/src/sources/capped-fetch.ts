/**
 * The Streamable HTTP guard of `maxAnswerBytes`: a `fetch` wrapper whose responses never hold more
 * than the limit of one message, for JSON and SSE (`text/event-stream`) bodies alike.
 *
 * - A JSON body over the limit stops being read (its stream is cancelled) and becomes the
 *   stand-in error for the request(s) of that POST, which the wrapper read from the request body.
 * - An SSE event over the limit is dropped as it streams; the stream goes on, and the stand-in
 *   error for the response's `id` (found in the event's first or last bytes, else the POST's own
 *   request id) takes the event's place.
 * - Any other body (an error page) is cut at the limit.
 */
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/client";
import { AnswerTooLargeError, OversizedMessage, type TooLarge } from "./answer-cap.js";

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const encoder = new TextEncoder();

/** `fetch` that caps every response body at `limit` bytes per message. */
export function cappedFetch(inner: typeof fetch, limit: number, tooLarge: TooLarge): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body || NULL_BODY_STATUS.has(response.status)) return response;
    const type = (response.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    const ids = requestIds(init?.body);
    const body =
      type === "text/event-stream"
        ? response.body.pipeThrough(sseCap(limit, ids.length === 1 ? ids[0] : undefined, tooLarge))
        : type === "application/json" && response.ok
          ? jsonCap(response.body, limit, ids, tooLarge)
          : truncated(response.body, limit);
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** The ids of the JSON-RPC requests in a POST body the client itself wrote (empty otherwise). */
function requestIds(body: unknown): RequestId[] {
  if (typeof body !== "string") return [];
  try {
    const parsed = JSON.parse(body) as unknown;
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    return messages.flatMap((m) =>
      m && typeof m === "object" && "method" in m && (typeof m.id === "number" || typeof m.id === "string")
        ? [m.id as RequestId]
        : [],
    );
  } catch {
    return [];
  }
}

/** A JSON body, passed on whole when within the limit, else replaced by the stand-in error(s). */
function jsonCap(
  body: ReadableStream<Uint8Array>,
  limit: number,
  ids: RequestId[],
  tooLarge: TooLarge,
): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      const reader = body.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > limit) {
            await reader.cancel().catch(() => {});
            if (ids.length === 0) throw new AnswerTooLargeError(limit);
            const errors: JSONRPCMessage[] = ids.map(tooLarge);
            controller.enqueue(encoder.encode(JSON.stringify(errors.length === 1 ? errors[0] : errors)));
            controller.close();
            return;
          }
          chunks.push(value);
        }
        for (const c of chunks) controller.enqueue(c);
        controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
  });
}

/** Any other body, cut at the limit (error pages are read as text). */
function truncated(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let size = 0;
  const reader = body.getReader();
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      const room = limit - size;
      size += value.byteLength;
      if (value.byteLength >= room) {
        if (room > 0) controller.enqueue(value.subarray(0, room));
        await reader.cancel().catch(() => {});
        controller.close();
      } else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * SSE, event by event (an event ends at a blank line): an event within the limit passes unchanged,
 * one over it is dropped as it streams and replaced by a `data:` event holding the stand-in error.
 */
function sseCap(limit: number, fallbackId: RequestId | undefined, tooLarge: TooLarge) {
  let pieces: Uint8Array[] = [];
  let size = 0;
  let lineLength = 0;
  let lastByte = 10;
  let over: OversizedMessage | undefined;
  const endEvent = (controller: TransformStreamDefaultController<Uint8Array>) => {
    if (over) {
      const id = over.responseId("data:") ?? fallbackId;
      if (id !== undefined) controller.enqueue(encoder.encode(`data: ${JSON.stringify(tooLarge(id))}\n\n`));
    } else for (const p of pieces) controller.enqueue(p);
    pieces = [];
    size = 0;
    over = undefined;
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      let start = 0;
      while (start < chunk.length) {
        const newline = chunk.indexOf(10, start);
        const end = newline < 0 ? chunk.length : newline + 1;
        const piece = chunk.subarray(start, end);
        size += piece.length;
        if (!over && size > limit) {
          over = new OversizedMessage();
          for (const p of pieces) over.feed(p);
          pieces = [];
        }
        if (over) over.feed(piece);
        else pieces.push(piece);
        if (newline < 0) {
          lineLength += piece.length;
          lastByte = piece[piece.length - 1] ?? lastByte;
          return;
        }
        // A blank line (`\n` or `\r\n` alone) ends the event.
        const line = lineLength + piece.length;
        const beforeNewline = piece.length >= 2 ? piece[piece.length - 2] : lastByte;
        lineLength = 0;
        lastByte = 10;
        if (line === 1 || (line === 2 && beforeNewline === 13)) endEvent(controller);
        start = end;
      }
    },
    flush(controller) {
      if (pieces.length || over) endEvent(controller);
    },
  });
}

/**
 * The limit on how large one message from an MCP server may be (`maxAnswerBytes`), shared by every
 * transport's guard (capped-stdio.ts, capped-fetch.ts, capped-transport.ts).
 *
 * A message over the limit is never buffered whole: its bytes are counted and dropped as they
 * arrive, keeping only its first and last few KiB, enough to find the JSON-RPC `id` it answers.
 * In its place the client receives a JSON-RPC error for that id carrying a marker only this
 * source knows, which McpSource turns into `ANSWER_TOO_LARGE`. The connection itself is left
 * alone, so the next call to the same server works.
 */
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/client";

/** Default `maxAnswerBytes`: 10 MiB, what the MCP SDK allowed on stdio. */
export const DEFAULT_MAX_ANSWER_BYTES = 10 * 1024 * 1024;

/** The JSON-RPC error code of the stand-in error (implementation-defined server error range). */
const TOO_LARGE_RPC_CODE = -32_097;
const MARKER = "toolpacks.dev/answerTooLarge";

/** Makes the stand-in message for an oversized answer to request `id`. */
export type TooLarge = (id: RequestId) => JSONRPCMessage;

/** The stand-in maker of one source: its error carries `nonce`, so a server cannot forge one. */
export function tooLargeMaker(limit: number, nonce: string): TooLarge {
  return (id) => ({
    jsonrpc: "2.0",
    id,
    error: {
      code: TOO_LARGE_RPC_CODE,
      message: `the answer was larger than the ${limit}-byte limit and was dropped unread`,
      data: { [MARKER]: nonce, limit },
    },
  });
}

/** Whether an McpError's `data` is this source's stand-in for an oversized answer. */
export function isTooLargeData(data: unknown, nonce: string): boolean {
  return data !== null && typeof data === "object" && (data as Record<string, unknown>)[MARKER] === nonce;
}

/** Thrown where an oversized answer cannot be matched to a request (no `id` to answer). */
export class AnswerTooLargeError extends Error {
  override name = "AnswerTooLargeError";
  constructor(readonly limit: number) {
    super(`the answer was larger than the ${limit}-byte limit and was dropped unread`);
  }
}

/** How much of an oversized message's start and end is kept to find its `id`. */
const WINDOW = 4096;

const ID = String.raw`(-?\d+|"(?:[^"\\\n]|\\.){0,200}")`;
/** `{"jsonrpc":"2.0","id":7,` or `{"id":7,` at the start of a message. */
const ID_FIRST = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${ID}\s*([,}])`);
/** `,"id":7}` at the very end: the key right before the last `}` of valid JSON is a top-level key. */
const ID_LAST = new RegExp(String.raw`[{,]\s*"id"\s*:\s*${ID}\s*\}\s*$`);
/** A request or notification from the server (it has a `method` before any `result`). */
const REQUEST_HEAD = new RegExp(
  String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?(?:"id"\s*:\s*${ID}\s*,\s*)?"method"\s*:`,
);

/**
 * The start and end of one oversized message, fed piece by piece; the middle is dropped.
 * Memory stays under 2 * WINDOW bytes whatever the message's size.
 */
export class OversizedMessage {
  private head: Uint8Array = new Uint8Array(0);
  private tail: Uint8Array = new Uint8Array(0);

  feed(piece: Uint8Array): void {
    if (this.head.length < WINDOW) {
      const take = piece.subarray(0, WINDOW - this.head.length);
      this.head = concat(this.head, take);
    }
    this.tail =
      piece.length >= WINDOW ? piece.slice(piece.length - WINDOW) : concat(this.tail, piece).slice(-WINDOW);
  }

  /**
   * The `id` of the response this message is, when its first or last bytes show one (JSON-RPC
   * libraries write `id` first or last). `undefined` for a request or notification from the server.
   */
  responseId(prefix = ""): RequestId | undefined {
    let head = decode(this.head);
    if (prefix) {
      const at = head.indexOf(prefix);
      head = at < 0 ? "" : head.slice(at + prefix.length);
    }
    if (REQUEST_HEAD.test(head)) return undefined;
    const m = ID_FIRST.exec(head) ?? ID_LAST.exec(decode(this.tail));
    if (!m?.[1]) return undefined;
    try {
      const id = JSON.parse(m[1]) as unknown;
      return typeof id === "number" || typeof id === "string" ? id : undefined;
    } catch {
      return undefined;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const decoder = new TextDecoder();
function decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Whether `value` serialized as JSON would exceed `limit` characters. Walks the value and stops as
 * soon as it is over, without building the JSON text (for messages that arrive as objects).
 */
export function jsonLargerThan(value: unknown, limit: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === "string") size += v.length + 2;
    else if (typeof v === "number" || typeof v === "boolean" || v === null) size += String(v).length;
    else if (typeof v === "object" && v !== undefined) {
      if (seen.has(v)) continue;
      seen.add(v);
      if (Array.isArray(v)) {
        size += 2 + v.length;
        for (const item of v) stack.push(item);
      } else {
        for (const [k, item] of Object.entries(v)) {
          size += k.length + 4;
          stack.push(item);
        }
        size += 2;
      }
    }
    if (size > limit) return true;
  }
  return false;
}

/**
 * The stdio guard of `maxAnswerBytes`: a replacement for the MCP SDK's stdio ReadBuffer that splits
 * the server's output into lines (one JSON-RPC message each) and never holds more than the limit of
 * one line. A line over the limit is dropped as it arrives; the request it answers gets the
 * stand-in error instead (answer-cap.ts). The SDK's own buffer closed the transport, killing a
 * healthy server, at 10 MiB, and was not configurable.
 */
import { deserializeMessage, type JSONRPCMessage } from "@modelcontextprotocol/client";
import type { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { OversizedMessage, type TooLarge } from "./answer-cap.js";

type Line = { text: Uint8Array[] } | { message: JSONRPCMessage };

/** Same interface as the SDK's ReadBuffer (`append`, `readMessage`, `clear`). */
export class CappedReadBuffer {
  private pieces: Uint8Array[] = [];
  private size = 0;
  private over: OversizedMessage | undefined;
  private readonly lines: Line[] = [];

  constructor(
    private readonly limit: number,
    private readonly tooLarge: TooLarge,
  ) {}

  append(chunk: Uint8Array): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline < 0 ? chunk.length : newline;
      const piece = chunk.subarray(start, end);
      this.size += piece.length;
      if (!this.over && this.size > this.limit) {
        this.over = new OversizedMessage();
        for (const p of this.pieces) this.over.feed(p);
        this.pieces = [];
      }
      if (this.over) this.over.feed(piece);
      else if (piece.length) this.pieces.push(piece);
      if (newline < 0) return;
      this.endLine();
      start = newline + 1;
    }
  }

  private endLine(): void {
    if (this.over) {
      const id = this.over.responseId();
      // An oversized request or notification from the server is dropped: nothing waits for it.
      if (id !== undefined) this.lines.push({ message: this.tooLarge(id) });
    } else if (this.size > 0) {
      this.lines.push({ text: this.pieces });
    }
    this.pieces = [];
    this.size = 0;
    this.over = undefined;
  }

  readMessage(): JSONRPCMessage | null {
    const line = this.lines.shift();
    if (!line) return null;
    if ("message" in line) return line.message;
    const text = Buffer.concat(line.text).toString("utf8").replace(/\r$/, "");
    return text.trim() === "" ? this.readMessage() : deserializeMessage(text);
  }

  clear(): void {
    this.pieces = [];
    this.size = 0;
    this.over = undefined;
    this.lines.length = 0;
  }
}

/** Puts the capped buffer in a not yet started SDK stdio transport (it reads through `_readBuffer`). */
export function capStdio(transport: StdioClientTransport, limit: number, tooLarge: TooLarge): void {
  const t = transport as unknown as { _readBuffer?: unknown };
  if (!t._readBuffer) {
    throw new Error("the MCP SDK's stdio transport has no _readBuffer: the answer cap cannot be installed");
  }
  t._readBuffer = new CappedReadBuffer(limit, tooLarge);
}

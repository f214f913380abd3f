/**
 * The guard of `maxAnswerBytes` for transports that hand over messages as objects (an in-process
 * server, a custom transport): a message whose JSON would exceed the limit is measured without
 * being serialized and replaced by the stand-in error for its `id` (answer-cap.ts), or dropped when
 * it is a request or notification from the server. Sizes here are JSON characters.
 */
import type {
  JSONRPCMessage,
  MessageExtraInfo,
  Transport,
  TransportSendOptions,
} from "@modelcontextprotocol/client";
import { jsonLargerThan, type TooLarge } from "./answer-cap.js";

export class CappedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  constructor(
    private readonly inner: Transport,
    limit: number,
    private readonly tooLarge: TooLarge,
  ) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => {
      if (!jsonLargerThan(message, limit)) return this.onmessage?.(message, extra);
      const m = message as { id?: unknown; method?: unknown };
      if (m.method === undefined && (typeof m.id === "number" || typeof m.id === "string")) {
        this.onmessage?.(this.tooLarge(m.id), extra);
      }
    };
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}

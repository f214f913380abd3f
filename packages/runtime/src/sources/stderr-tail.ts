/**
 * The last lines a stdio server wrote on stderr, kept so that when it fails to start or dies the
 * error says what the server said ("Stripe API key not provided"), not only "Connection closed".
 */
import type { Readable } from "node:stream";

/** How much of a server's stderr is kept: the last this many characters. */
export const STDERR_TAIL_CHARS = 2_000;

/** Terminal colour codes (ESC [ … m): servers colour their logs, an error message must not carry them. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export class StderrTail {
  private text = "";
  private ended: Promise<void> = Promise.resolve();

  /** Reads `stream` (dropping all but the tail), passing each chunk to `forward` when given. */
  attach(stream: Readable | null | undefined, forward?: (chunk: Buffer | string) => void): void {
    if (!stream) return;
    this.ended = new Promise((resolve) => {
      stream.once("end", resolve);
      stream.once("close", resolve);
      stream.once("error", resolve);
    });
    stream.on("data", (chunk: Buffer | string) => {
      forward?.(chunk);
      this.text = (this.text + chunk.toString()).slice(-STDERR_TAIL_CHARS);
    });
  }

  /**
   * The kept tail as one line per line written (empty when the server wrote nothing), after waiting
   * up to `waitMs` for the stream to end, since a dying process's last words can arrive after the
   * transport reports it closed.
   */
  async read(waitMs = 300): Promise<string> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.ended, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
    return this.snapshot();
  }

  /** The kept tail now, trimmed, lines joined by " | " so it fits in one error message. */
  snapshot(): string {
    return this.text
      .replace(ANSI_COLOUR, "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .join(" | ");
  }
}

/** `message` followed by what the server last said on stderr, when it said anything. */
export function withStderr(message: string, tail: string): string {
  return tail ? `${message}; the server's stderr ended with: ${tail}` : message;
}

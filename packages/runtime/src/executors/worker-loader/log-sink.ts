/**
 * Host-side log budget for the Worker Loader executor: lines arrive one RPC at a time from
 * the sandbox, which is not trusted to count, so the budget is enforced again here.
 */
import { byteLength } from "../guard.js";
import type { LogEntry, LogLevel } from "../types.js";

const LEVELS = new Set<LogLevel>(["log", "info", "warn", "error"]);

/** Keeps console lines within `maxLogBytes` (UTF-8, one byte per line for the break). */
export class LogSink {
  private readonly lines: LogEntry[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(private readonly maxLogBytes: number) {}

  /** Records one line, or counts it as dropped once the budget is spent. */
  add(level: unknown, text: unknown): void {
    const lvl = LEVELS.has(level as LogLevel) ? (level as LogLevel) : "log";
    const line = typeof text === "string" ? text : String(text);
    const size = byteLength(line) + 1;
    if (this.dropped === 0 && this.bytes + size <= this.maxLogBytes) {
      this.bytes += size;
      this.lines.push({ level: lvl, text: line });
      return;
    }
    const room = this.maxLogBytes - this.bytes;
    if (this.dropped === 0 && room > 32) {
      // Keep the head of the line that crosses the budget.
      this.lines.push({ level: lvl, text: line.slice(0, room) });
      this.bytes = this.maxLogBytes;
    }
    this.dropped += size;
  }

  /** Adds bytes the sandbox counted but never sent. Negative or non-numeric counts are ignored. */
  addDropped(bytes: unknown): void {
    if (typeof bytes === "number" && Number.isFinite(bytes) && bytes > 0) this.dropped += Math.floor(bytes);
  }

  /** The kept lines, with a closing note when some were dropped. */
  entries(): LogEntry[] {
    if (this.dropped === 0) return [...this.lines];
    return [
      ...this.lines,
      {
        level: "warn",
        text: `[logs truncated: ${this.dropped} more bytes past the ${this.maxLogBytes}-byte log budget]`,
      },
    ];
  }
}

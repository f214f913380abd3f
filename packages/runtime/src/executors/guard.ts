/**
 * Host-side enforcement of the sandbox limits that do not depend on the isolate:
 * tool-call count and concurrency, log bytes, and the run clock (which pauses while
 * the sandbox is idle waiting on host tool calls). Every executor can use it.
 */
import { encode } from "../codec/wire.js";
import type { LogEntry, LogLevel, SandboxLimits } from "./types.js";

export interface GuardFatal {
  code: string;
  message: string;
}

const LEVELS = new Set<LogLevel>(["log", "info", "warn", "error"]);
const utf8 = new TextEncoder();

/** UTF-8 byte length without allocating for ASCII-only strings. */
export function byteLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range check
  return /^[\x00-\x7f]*$/.test(text) ? text.length : utf8.encode(text).length;
}

export class RunGuard {
  readonly logs: LogEntry[] = [];
  /** Calls the program issued (including ones refused for exceeding the limit). */
  calls = 0;
  /** Calls started on the host and not yet settled (queued ones included). */
  inFlight = 0;
  fatal: GuardFatal | undefined;
  private logBytes = 0;
  private logDropped = 0;
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private readonly start = performance.now();
  private pausedMs = 0;
  private pauseStartedAt: number | undefined;
  private inSlice = false;

  constructor(
    private readonly limits: SandboxLimits,
    private readonly bridge: (ns: string, tool: string, encodedArgs: string) => Promise<string>,
    private readonly onFatal: (fatal: GuardFatal) => void = () => {},
  ) {}

  /** Stops the run with an error the program cannot catch. First one wins. */
  fail(code: string, message: string): void {
    if (this.fatal) return;
    this.fatal = { code, message };
    this.onFatal(this.fatal);
  }

  /** Sandbox time used so far: wall time minus the time spent idle waiting on tool calls. */
  elapsedMs(now = performance.now()): number {
    const pausing = this.pauseStartedAt === undefined ? 0 : now - this.pauseStartedAt;
    return now - this.start - this.pausedMs - pausing;
  }

  /** Total wall time since the run started. */
  wallMs(): number {
    return performance.now() - this.start;
  }

  overTime(now = performance.now()): boolean {
    return this.elapsedMs(now) > this.limits.timeoutMs;
  }

  /** Milliseconds of sandbox time left (never negative). */
  remainingMs(): number {
    return Math.max(0, this.limits.timeoutMs - this.elapsedMs());
  }

  beginSlice(): void {
    this.inSlice = true;
    this.updatePause();
  }

  endSlice(): void {
    this.inSlice = false;
    this.updatePause();
  }

  private updatePause(): void {
    const shouldPause = this.inFlight > 0 && !this.inSlice;
    const now = performance.now();
    if (shouldPause && this.pauseStartedAt === undefined) this.pauseStartedAt = now;
    else if (!shouldPause && this.pauseStartedAt !== undefined) {
      this.pausedMs += now - this.pauseStartedAt;
      this.pauseStartedAt = undefined;
    }
  }

  /** The bridge as the sandbox sees it: counted, limited in concurrency, failing the run past maxToolCalls. */
  call(ns: string, tool: string, encodedArgs: string): Promise<string> {
    this.calls++;
    if (this.calls > this.limits.maxToolCalls) {
      this.fail("TOOL_CALL_LIMIT", `the program made more than ${this.limits.maxToolCalls} tool calls`);
      return Promise.reject(encode({ code: "TOOL_CALL_LIMIT", message: "tool call limit reached" }));
    }
    this.inFlight++;
    this.updatePause();
    const settle = () => {
      this.inFlight--;
      this.running--;
      this.updatePause();
      const next = this.queue.shift();
      if (next) next();
    };
    return new Promise<string>((resolve, reject) => {
      const startCall = () => {
        this.running++;
        let p: Promise<string>;
        try {
          p = this.bridge(ns, tool, encodedArgs);
        } catch (err) {
          p = Promise.reject(err);
        }
        p.then(
          (value) => {
            settle();
            resolve(typeof value === "string" ? value : encode(value));
          },
          (err) => {
            settle();
            reject(encodeBridgeError(err));
          },
        );
      };
      if (this.running < Math.max(1, this.limits.maxConcurrentCalls)) startCall();
      else this.queue.push(startCall);
    });
  }

  /** Records one console line within maxLogBytes; past the budget lines are counted, not kept. */
  log(level: string, text: string): void {
    const lvl = LEVELS.has(level as LogLevel) ? (level as LogLevel) : "log";
    const size = byteLength(text) + 1;
    const budget = this.limits.maxLogBytes;
    if (this.logBytes + size <= budget) {
      this.logBytes += size;
      this.logs.push({ level: lvl, text });
      return;
    }
    if (this.logDropped === 0 && this.logBytes < budget) {
      // Keep the head of the line that crosses the budget.
      const room = budget - this.logBytes;
      if (room > 32) {
        this.logs.push({ level: lvl, text: text.slice(0, room) });
        this.logBytes = budget;
      }
    }
    this.logDropped += size;
  }

  /** The logs with a final note when some were dropped. */
  finalLogs(): LogEntry[] {
    if (this.logDropped === 0) return this.logs;
    return [
      ...this.logs,
      {
        level: "warn",
        text: `[logs truncated: ${this.logDropped} more bytes past the ${this.limits.maxLogBytes}-byte log budget]`,
      },
    ];
  }
}

/** Normalises anything a bridge rejected with into `{ code, message }`. */
/** A host tool call's failure as the sandbox receives it: codec-encoded `{ code, message }`. */
export function encodeBridgeError(err: unknown): string {
  return typeof err === "string" ? err : encode(toErrorShape(err));
}

/**
 * Default hard cap on a run's wall time, tool calls included: the sandbox clock pauses while
 * calls are in flight, so this bounds a run that waits forever. Max(4 × timeoutMs, timeoutMs + 30 s).
 */
export function defaultMaxWallMs(timeoutMs: number): number {
  return Math.max(timeoutMs * 4, timeoutMs + 30_000);
}

export function toErrorShape(err: unknown): { code: string; message: string; data?: unknown } {
  if (err && typeof err === "object") {
    const e = err as { code?: unknown; message?: unknown; data?: unknown };
    const out: { code: string; message: string; data?: unknown } = {
      code: typeof e.code === "string" ? e.code : "TOOL_ERROR",
      message: typeof e.message === "string" ? e.message : String(err),
    };
    if (e.data !== undefined) out.data = e.data;
    return out;
  }
  return { code: "TOOL_ERROR", message: String(err) };
}

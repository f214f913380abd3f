/**
 * Host-side enforcement of the sandbox limits that do not depend on the isolate:
 * tool-call count and concurrency, log bytes, and the run clock (which pauses while
 * the sandbox is idle waiting on host tool calls). Every executor can use it.
 */
import { encode } from "../codec/wire.js";
import {
  DEFAULT_MAX_ARGUMENT_BYTES,
  DEFAULT_MAX_IN_FLIGHT_ARGUMENT_BYTES,
  DEFAULT_MAX_PROGRAM_BYTES,
  type LogEntry,
  type LogLevel,
  type RefusedCallListener,
  type SandboxLimits,
} from "./types.js";

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

/**
 * UTF-8 byte length of `text`, or any number above `cap` once it is certainly over: a string of
 * more UTF-16 units than `cap` is never measured (UTF-8 never takes fewer bytes than units), so
 * an oversized input costs nothing to refuse.
 */
export function byteLengthUpTo(text: string, cap: number): number {
  if (text.length > cap) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > cap) return bytes;
  }
  return bytes;
}

/** The program-size refusal every stage uses, or undefined when `code` fits `maxProgramBytes`. */
export function programTooLarge(
  code: string,
  limits: Pick<SandboxLimits, "maxProgramBytes">,
  what = "the program",
): GuardFatal | undefined {
  const cap = limits.maxProgramBytes ?? DEFAULT_MAX_PROGRAM_BYTES;
  const size = byteLengthUpTo(code, cap);
  if (size <= cap) return undefined;
  return {
    code: "PROGRAM_TOO_LARGE",
    message: `${what} is ${code.length > cap ? `over ${cap}` : size} bytes, more than the ${cap}-byte limit (maxProgramBytes): send a shorter program (keep data out of the code: fetch it with tool calls)`,
  };
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
  private readonly queue: Array<(cancelled?: string) => void> = [];
  private readonly start = performance.now();
  private pausedMs = 0;
  private pauseStartedAt: number | undefined;
  private inSlice = false;
  /** Argument bytes held by calls running or queued on the host. */
  private inFlightBytes = 0;
  private closed = false;

  constructor(
    private readonly limits: SandboxLimits,
    private readonly bridge: (ns: string, tool: string, encodedArgs: string) => Promise<string>,
    private readonly onFatal: (fatal: GuardFatal) => void = () => {},
    /** Told of each call refused for its arguments (see `SandboxRequest.onRefusedCall`). */
    private readonly onRefused?: RefusedCallListener,
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
    if (this.closed) {
      return Promise.reject(encode({ code: "ABORTED", message: "the run has ended" }));
    }
    this.calls++;
    if (this.calls > this.limits.maxToolCalls) {
      const message = `the program made more than ${this.limits.maxToolCalls} tool calls, its limit (maxToolCalls; CLI --max-calls)`;
      this.fail("TOOL_CALL_LIMIT", message);
      return Promise.reject(encode({ code: "TOOL_CALL_LIMIT", message }));
    }
    const refused = this.refuseArguments(ns, tool, encodedArgs);
    if (refused) {
      // Over the per-call cap only the size is passed on: nothing keeps an oversized payload.
      this.tell(ns, tool, refused, refused.code === "ARGUMENTS_TOO_LARGE" ? encodedArgs.length : encodedArgs);
      return Promise.reject(encode(refused));
    }
    const bytes = encodedArgs.length;
    this.inFlightBytes += bytes;
    this.inFlight++;
    this.updatePause();
    const settle = () => {
      this.inFlight--;
      this.running--;
      this.inFlightBytes -= bytes;
      this.updatePause();
      if (this.closed) return;
      const next = this.queue.shift();
      if (next) next();
    };
    return new Promise<string>((resolve, reject) => {
      const startCall = (cancelled?: string) => {
        if (cancelled !== undefined) {
          // The run ended while this call waited: it never reaches the bridge.
          this.inFlight--;
          this.inFlightBytes -= bytes;
          reject(cancelled);
          return;
        }
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

  /**
   * For executors that can see the arguments' length before copying them out of the isolate:
   * the encoded refusal (counted as a call) when `units` UTF-16 units are certainly over
   * maxArgumentBytes (UTF-8 never takes fewer bytes than units), else undefined.
   */
  refuseLongArguments(ns: string, tool: string, units: number): string | undefined {
    const cap = this.limits.maxArgumentBytes ?? DEFAULT_MAX_ARGUMENT_BYTES;
    if (units <= cap) return undefined;
    this.calls++;
    const refusal = {
      code: "ARGUMENTS_TOO_LARGE",
      message: `the arguments of ${ns}.${tool} are over ${cap} bytes, more than the ${cap}-byte limit (maxArgumentBytes): send less per call (split the work into several calls)`,
    };
    this.tell(ns, tool, refusal, units);
    return encode(refusal);
  }

  private tell(ns: string, tool: string, refusal: GuardFatal, args: string | number): void {
    try {
      this.onRefused?.(ns, tool, refusal, args);
    } catch {
      // A listener's failure must not change what the program is told.
    }
  }

  /** Argument bytes held on the host by this run's calls (running and queued). */
  get argumentBytesInFlight(): number {
    return this.inFlightBytes;
  }

  /**
   * Ends the guard with its run: queued calls are dropped without ever reaching the bridge (they
   * reject with ABORTED), their arguments released, and every later call is refused at once.
   * Calls already running settle on their own (the runtime aborts them through the run's signal).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const dropped = this.queue.splice(0);
    const reason = encode({ code: "ABORTED", message: "the run has ended" });
    for (const start of dropped) start(reason);
  }

  /** The refusal for arguments over maxArgumentBytes or over the run's in-flight budget. */
  private refuseArguments(ns: string, tool: string, encodedArgs: string): GuardFatal | undefined {
    const cap = this.limits.maxArgumentBytes ?? DEFAULT_MAX_ARGUMENT_BYTES;
    // Counted in UTF-16 units for the in-flight budget (what the host holds); the per-call cap in UTF-8 bytes.
    const size = byteLengthUpTo(encodedArgs, cap);
    if (size > cap) {
      return {
        code: "ARGUMENTS_TOO_LARGE",
        message: `the arguments of ${ns}.${tool} are ${encodedArgs.length > cap ? `over ${cap}` : size} bytes, more than the ${cap}-byte limit (maxArgumentBytes): send less per call (split the work into several calls)`,
      };
    }
    const budget = this.limits.maxInFlightArgumentBytes ?? DEFAULT_MAX_IN_FLIGHT_ARGUMENT_BYTES;
    if (this.inFlightBytes + encodedArgs.length > budget) {
      return {
        code: "ARGUMENTS_IN_FLIGHT_LIMIT",
        message: `${ns}.${tool} was not started: the run's calls in flight already hold ${this.inFlightBytes} bytes of arguments and this call's ${encodedArgs.length} would pass the ${budget}-byte limit (maxInFlightArgumentBytes): await earlier calls before starting more`,
      };
    }
    return undefined;
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

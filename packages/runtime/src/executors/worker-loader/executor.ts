/**
 * The Cloudflare executor: each run is a fresh dynamic isolate from the Worker Loader binding,
 * with no bindings, no network (`globalOutbound: null`) and one way out — the host functions
 * passed to its `run` method over Workers RPC. Limits are enforced from the host: a wall clock
 * raced against the RPC (paused while tool calls are in flight, as in every executor), the
 * RunGuard for tool-call count and concurrency, and a log budget (the runtime cuts results to
 * maxResultBytes after any executor). Loop and call fuel stops CPU-bound programs, since a local
 * workerd shares one thread with its isolates, and the big allocators are metered against memoryMb.
 */
import { defaultMaxWallMs, programTooLarge, RunGuard } from "../guard.js";
import { maxNesting } from "../quickjs/nesting.js";
import type { Executor, SandboxRequest, SandboxResponse } from "../types.js";
import { addFuelGuards, ProgramSyntaxError } from "./fuel.js";
import type { WorkerLoaderBinding } from "./loader-types.js";
import { LogSink } from "./log-sink.js";
import { describeIsolateFailure, type Outcome, parseOutcome, type RunError } from "./outcome.js";
import {
  PROGRAM_FILENAME,
  PROGRAM_LINE_OFFSET,
  type SandboxReply,
  sandboxModules,
} from "./sandbox-module.js";

export interface WorkerLoaderExecutorOptions {
  /** The Worker Loader binding, e.g. `env.LOADER` with `"worker_loaders": [{ "binding": "LOADER" }]`. */
  loader: WorkerLoaderBinding;
  /** Compatibility date of the program's isolate. Default "2026-11-01". */
  compatibilityDate?: string;
  /**
   * Loop iterations plus function calls allowed per millisecond of `timeoutMs`. Default 100,000:
   * about what a loop with a real body runs per millisecond, so a 5 s budget allows 500 million
   * and an empty runaway loop stops in well under a second.
   */
  fuelPerMs?: number;
  /**
   * Loop iterations plus calls allowed per MB of `memoryMb`. Default 50,000: a loop that keeps
   * what it builds (about 100 bytes an iteration) stops near 5 times its memory budget.
   */
  fuelPerMb?: number;
  /** Deepest bracket nesting accepted in the program text, as in the embedded executor. Default 200. */
  maxNesting?: number;
  /** Hard cap on a run's wall time including time in tool calls. Default max(4 × timeoutMs, timeoutMs + 30 s). */
  maxWallMs?: number;
}

interface SandboxEntrypoint {
  run(
    configText: string,
    fuel: number,
    memoryBytes: number,
    call: (ns: string, tool: string, args: string) => Promise<string>,
    log: (level: string, text: string) => void,
    sleep: (ms: number) => Promise<void>,
    fail: (reason: "FUEL" | "MEMORY") => void,
  ): Promise<SandboxReply>;
}

/** Runs programs in Worker Loader isolates. Create one per Worker and reuse it across runs. */
export class WorkerLoaderExecutor implements Executor {
  readonly name = "worker-loader";
  constructor(private readonly options: WorkerLoaderExecutorOptions) {
    if (!options?.loader || typeof options.loader.load !== "function") {
      throw new WorkerLoaderConfigError(
        'the Worker Loader executor needs a Worker Loader binding: add `"worker_loaders": [{ "binding": "LOADER" }]` to wrangler config and pass `env.LOADER`',
      );
    }
  }

  run(request: SandboxRequest): Promise<SandboxResponse> {
    return new WorkerLoaderRun(this.options, request).start();
  }
}

/** Creates the Worker Loader executor over `options.loader` (usually `env.LOADER`). */
export function createWorkerLoaderExecutor(options: WorkerLoaderExecutorOptions): WorkerLoaderExecutor {
  return new WorkerLoaderExecutor(options);
}

/** The executor was configured without a usable Worker Loader binding. */
export class WorkerLoaderConfigError extends Error {
  override name = "WorkerLoaderConfigError";
  readonly code = "CONFIG_ERROR";
}

const MAX_TIMER_MS = 2_147_483_647;

class WorkerLoaderRun {
  private readonly guard: RunGuard;
  private readonly logs: LogSink;
  private readonly maxWallMs: number;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private stopped = false;
  private finish: ((outcome: Outcome) => void) | undefined;

  constructor(
    private readonly options: WorkerLoaderExecutorOptions,
    private readonly request: SandboxRequest,
  ) {
    const { limits } = request;
    this.maxWallMs = options.maxWallMs ?? defaultMaxWallMs(limits.timeoutMs);
    this.logs = new LogSink(limits.maxLogBytes);
    this.guard = new RunGuard(
      limits,
      request.callTool,
      (fatal) => this.end({ ok: false, error: fatal }),
      request.onRefusedCall,
    );
  }

  async start(): Promise<SandboxResponse> {
    const { request } = this;
    const guardName = `__tp_fuel_${crypto.randomUUID().replaceAll("-", "")}`;
    const tooLarge = programTooLarge(request.code, request.limits);
    if (tooLarge) return this.respond({ ok: false, error: tooLarge });
    if (request.signal?.aborted) {
      return this.respond({ ok: false, error: { code: "ABORTED", message: "the run was cancelled" } });
    }
    const depth = maxNesting(request.code);
    const allowed = this.options.maxNesting ?? 200;
    if (depth > allowed) {
      return this.respond({
        ok: false,
        error: {
          code: "SYNTAX_ERROR",
          message: `the program nests brackets ${depth} levels deep (at most ${allowed} allowed)`,
        },
      });
    }
    let code: string;
    try {
      code = addFuelGuards(request.code, guardName);
    } catch (err) {
      if (!(err instanceof ProgramSyntaxError)) throw err;
      const error: RunError = { code: err.code, message: err.message };
      if (err.line !== undefined) error.line = err.line;
      if (err.column !== undefined) error.column = err.column;
      return this.respond({ ok: false, error });
    }
    const outcome = new Promise<Outcome>((resolve) => {
      this.finish = resolve;
    });
    const onAbort = () => this.guard.fail("ABORTED", "the run was cancelled");
    request.signal?.addEventListener("abort", onAbort, { once: true });
    this.armClock();
    const entry = this.load(code, guardName);
    entry
      .run(
        JSON.stringify({
          bindings: request.bindings,
          maxLogBytes: request.limits.maxLogBytes,
          maxToolCalls: request.limits.maxToolCalls,
          maxConcurrentCalls: request.limits.maxConcurrentCalls,
          filename: PROGRAM_FILENAME,
          lineOffset: PROGRAM_LINE_OFFSET,
        }),
        this.fuel(),
        Math.max(1, request.limits.memoryMb) * 1024 * 1024,
        (ns, tool, args) => this.call(ns, tool, args),
        (level, text) => {
          if (!this.stopped) this.logs.add(level, text);
        },
        (ms) => this.sleep(ms),
        (reason) =>
          reason === "MEMORY"
            ? this.guard.fail("MEMORY_LIMIT", `the program allocated more than ${request.limits.memoryMb} MB`)
            : this.guard.fail(
                "TIMEOUT",
                `the program ran longer than ${request.limits.timeoutMs} ms (CPU budget used up)`,
              ),
      )
      .then(
        (reply) => {
          this.logs.addDropped(reply?.droppedLogBytes);
          this.end(parseOutcome(reply?.outcome));
        },
        (err) => this.end({ ok: false, error: describeIsolateFailure(err) }),
      );
    const result = await outcome;
    request.signal?.removeEventListener("abort", onAbort);
    dispose(entry);
    return this.respond(result);
  }

  /**
   * Loop iterations plus calls the program may make: from timeoutMs, and capped by memoryMb
   * too, since each iteration may allocate and a local workerd has no isolate memory limit.
   */
  private fuel(): number {
    const { timeoutMs, memoryMb } = this.request.limits;
    const byTime = timeoutMs * (this.options.fuelPerMs ?? 100_000);
    const byMemory = Math.max(1, memoryMb) * (this.options.fuelPerMb ?? 50_000);
    return Math.max(1, Math.floor(Math.min(byTime, byMemory)));
  }

  private load(code: string, guardName: string): SandboxEntrypoint {
    const { limits } = this.request;
    const worker = this.options.loader.load({
      compatibilityDate: this.options.compatibilityDate ?? "2026-11-01",
      mainModule: "main.js",
      modules: sandboxModules(code, guardName),
      env: {},
      globalOutbound: null,
      // Enforced by Cloudflare; a local workerd ignores it, which is what the fuel is for.
      limits: { cpuMs: Math.max(10, Math.ceil(limits.timeoutMs)), subRequests: 0 },
    });
    return worker.getEntrypoint() as SandboxEntrypoint;
  }

  /**
   * The bridge as the sandbox sees it; never rejects, so RPC error translation cannot lose the
   * code. Once the run has ended a call never settles: a program looping on failed calls goes idle.
   */
  private async call(ns: unknown, tool: unknown, args: unknown): Promise<string> {
    if (this.stopped) return new Promise<string>(() => {});
    if (typeof ns !== "string" || typeof tool !== "string" || typeof args !== "string") {
      return `0${JSON.stringify({ code: "INVALID_ARGUMENTS", message: "malformed tool call from the sandbox" })}`;
    }
    const known = Object.hasOwn(this.request.bindings, ns) ? this.request.bindings[ns] : undefined;
    if (!known?.includes(tool)) {
      return `0${JSON.stringify({ code: "UNKNOWN_TOOL", message: `${ns}.${tool} is not a tool` })}`;
    }
    let reply: string;
    try {
      reply = `1${await this.guard.call(ns, tool, args)}`;
    } catch (err) {
      reply = `0${typeof err === "string" ? err : JSON.stringify({ code: "TOOL_ERROR", message: String(err) })}`;
    }
    return this.stopped ? new Promise<string>(() => {}) : reply;
  }

  private sleep(ms: unknown): Promise<void> {
    // After the run ends a timer never fires, so an idle program stays idle.
    return new Promise((resolve) => {
      if (this.stopped) return;
      const delay = Math.min(Math.max(0, Number(ms) || 0), MAX_TIMER_MS);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, delay);
      this.timers.add(timer);
    });
  }

  /** Re-arms itself until the run ends: the clock pauses while tool calls are in flight. */
  private armClock(): void {
    if (this.stopped) return;
    const wallLeft = this.maxWallMs - this.guard.wallMs();
    if (wallLeft <= 0) {
      this.guard.fail("TIMEOUT", `the run exceeded its wall-clock cap of ${this.maxWallMs} ms`);
      return;
    }
    if (this.guard.overTime()) {
      this.guard.fail("TIMEOUT", `the program ran longer than ${this.request.limits.timeoutMs} ms`);
      return;
    }
    const wait =
      this.guard.inFlight > 0 ? Math.min(wallLeft, 50) : Math.min(wallLeft, this.guard.remainingMs());
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.armClock();
      },
      Math.max(1, Math.ceil(wait) + 1),
    );
    this.timers.add(timer);
  }

  private end(outcome: Outcome): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // Queued calls never start once the run is over; their arguments go with them.
    this.guard.close();
    this.finish?.(outcome);
  }

  private respond(outcome: Outcome): SandboxResponse {
    const stats = { wallMs: Math.round(this.guard.wallMs() * 1000) / 1000, toolCalls: this.guard.calls };
    const logs = this.logs.entries();
    if (outcome.ok) return { ok: true, encodedResult: outcome.encodedResult, logs, stats };
    return { ok: false, logs, error: outcome.error, stats };
  }
}

function dispose(stub: unknown): void {
  const fn = (stub as { [Symbol.dispose]?: () => void } | null)?.[Symbol.dispose];
  if (typeof fn === "function") {
    try {
      fn.call(stub);
    } catch {
      // Already disposed or not disposable: nothing left to release.
    }
  }
}

/**
 * The embedded executor: QuickJS compiled to WASM (quickjs-emscripten), no native build,
 * usable in Node and in Workers. Each run gets a heap of its own (a WASM instance whose memory
 * stops at its memoryMb plus the interpreter's base, see module.ts) with a fresh runtime and
 * context. Limits are enforced from the host: an interrupt handler for time and cancellation,
 * the heap's ceiling for memory, QuickJS's stack limit, the RunGuard for calls and logs. When a
 * run ends, everything it armed on the host (timers, queued calls, listeners) is released.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from "quickjs-emscripten-core";
import { defaultMaxWallMs, type GuardFatal, programTooLarge, RunGuard } from "../guard.js";
import type { Executor, SandboxRequest, SandboxResponse } from "../types.js";
import { heapBytes, type PreparedSandbox, releaseSandbox, takeSandbox, warmQuickJS } from "./module.js";
import { maxNesting } from "./nesting.js";

export interface QuickJSExecutorOptions {
  /** Interpreter stack budget in bytes. Kept small: QuickJS recurses on the host's native stack. Default 64 KiB. */
  maxStackBytes?: number;
  /** Deepest bracket nesting accepted in the program text. Default 200. */
  maxNesting?: number;
  /** Hard cap on a run's wall time including time in tool calls. Default max(4 × timeoutMs, timeoutMs + 30 s). */
  maxWallMs?: number;
}

const FILENAME = "program.js";
const WRAP_HEAD = "(async function () {\n";
const WRAP_TAIL = "\n})";

const MB = 1024 * 1024;
const TICK_MS = 20;
const ABORTED: GuardFatal = { code: "ABORTED", message: "the run was cancelled" };
const MEMORY_FATAL = (mb: number): GuardFatal => ({
  code: "MEMORY_LIMIT",
  message: `the program used more than ${mb} MB of memory`,
});

type Outcome = { ok: true; value: string } | { ok: false; error: SandboxResponse["error"] & object };

export class QuickJSExecutor implements Executor {
  readonly name = "quickjs";
  constructor(private readonly options: QuickJSExecutorOptions = {}) {}

  /** Loads the WASM module ahead of the first run (optional). */
  async warmup(): Promise<void> {
    await warmQuickJS();
  }

  run(request: SandboxRequest): Promise<SandboxResponse> {
    return new QuickJSRun(request, this.options).start();
  }
}

/** Creates the embedded QuickJS executor. */
export function createQuickJSExecutor(options?: QuickJSExecutorOptions): QuickJSExecutor {
  return new QuickJSExecutor(options);
}

class QuickJSRun {
  private guard: RunGuard;
  private closed = false;
  private outcome: string | undefined;
  private wake: (() => void) | undefined;
  private readonly inbox: string[] = [];
  private deliverFn: QuickJSHandle | undefined;
  private sleeps = 0;
  /** Host calls whose answer has not yet been handed to the sandbox. */
  private pendingCalls = 0;
  /** Host timers behind the sandbox's setTimeout/setInterval, cleared when the run ends. */
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly maxWallMs: number;
  private module: QuickJSWASMModule | undefined;
  private heapStart = 0;
  private memoryExceeded = false;

  constructor(
    private readonly request: SandboxRequest,
    private readonly options: QuickJSExecutorOptions,
  ) {
    const { limits } = request;
    this.maxWallMs = options.maxWallMs ?? defaultMaxWallMs(limits.timeoutMs);
    this.guard = new RunGuard(limits, request.callTool, () => this.notify(), request.onRefusedCall);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private respond(outcome: Outcome | GuardFatal): SandboxResponse {
    // A run that failed once its heap grew past memoryMb failed for memory, whatever QuickJS
    // managed to say (at the ceiling it may not even allocate the error: "Uncaught null").
    if (!("ok" in outcome && outcome.ok) && this.overMemory())
      outcome = MEMORY_FATAL(this.request.limits.memoryMb);
    const stats = { wallMs: round(this.guard.wallMs()), toolCalls: this.guard.calls };
    const logs = this.guard.finalLogs();
    if ("ok" in outcome && outcome.ok) return { ok: true, encodedResult: outcome.value, logs, stats };
    const error = "ok" in outcome ? outcome.error : { code: outcome.code, message: outcome.message };
    return { ok: false, logs, error, stats };
  }

  async start(): Promise<SandboxResponse> {
    const { code, limits, signal } = this.request;
    const tooLarge = programTooLarge(code, limits);
    if (tooLarge) return this.respond(tooLarge);
    if (signal?.aborted) return this.respond(ABORTED);
    const depth = maxNesting(code);
    const allowed = this.options.maxNesting ?? 200;
    if (depth > allowed) {
      return this.respond({
        code: "SYNTAX_ERROR",
        message: `the program nests brackets ${depth} levels deep (at most ${allowed} allowed)`,
      });
    }
    let prepared: PreparedSandbox;
    try {
      prepared = await takeSandbox(limits.memoryMb);
    } catch (err) {
      return this.respond({
        code: "INTERNAL_ERROR",
        message: String(err instanceof Error ? err.message : err),
      });
    }
    const { rt, vm, install } = prepared;
    // The program's clock starts once its sandbox is ready: building a heap is the host's cost.
    this.guard = new RunGuard(limits, this.request.callTool, () => this.notify(), this.request.onRefusedCall);
    this.module = prepared.module;
    this.heapStart = heapBytes(prepared.module);
    const onAbort = () => this.notify();
    signal?.addEventListener("abort", onAbort, { once: true });
    let broken = false;
    try {
      // Counts allocations more than bytes in this build (see module.ts); the heap's ceiling is the real limit.
      rt.setMemoryLimit(prepared.ceiling);
      rt.setMaxStackSize(this.options.maxStackBytes ?? 64 * 1024);
      rt.setInterruptHandler(() => this.shouldInterrupt());
      const early = this.install(vm, install);
      if (early) return this.respond(early);
      return this.respond(await this.drive(vm));
    } catch (err) {
      // A host-level exception from inside WASM (e.g. the host's own stack overflowing):
      // the module's memory may be inconsistent, so never touch it again.
      broken = true;
      const stack = err instanceof RangeError;
      if (this.memoryExceeded) return this.respond(MEMORY_FATAL(limits.memoryMb));
      return this.respond({
        code: stack ? "STACK_OVERFLOW" : "INTERNAL_ERROR",
        message: stack
          ? "the program recursed too deeply for the sandbox"
          : `the sandbox failed: ${err instanceof Error ? err.message : String(err)}`,
      });
    } finally {
      this.closed = true;
      signal?.removeEventListener("abort", onAbort);
      // Nothing the run armed outlives it: its timers, its queued calls and their arguments.
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.guard.close();
      this.inbox.length = 0;
      if (!broken) {
        try {
          if (install.alive) install.dispose();
          if (this.deliverFn?.alive) this.deliverFn.dispose();
          vm.dispose();
          rt.dispose();
        } catch {
          broken = true;
        }
      }
      // A broken or grown heap is dropped (its memory goes with it); a clean one is reused.
      releaseSandbox(prepared, broken);
    }
  }

  private shouldInterrupt(): boolean {
    if (this.guard.fatal) return true;
    if (this.request.signal?.aborted) return true;
    // The heap is this run's alone, so its growth is what this run allocated (the heap's
    // ceiling stops it shortly after; this check names the failure MEMORY_LIMIT).
    if (this.overMemory()) {
      this.memoryExceeded = true;
      return true;
    }
    const now = performance.now();
    if (this.guard.overTime(now)) return true;
    return this.guard.wallMs() > this.maxWallMs;
  }

  /** Whether this run's heap grew past its memoryMb. */
  private overMemory(): boolean {
    return (
      this.module !== undefined && heapBytes(this.module) - this.heapStart > this.request.limits.memoryMb * MB
    );
  }

  /** Evaluates the prelude and the program, starts it. Returns an outcome if it failed before starting. */
  private install(vm: QuickJSContext, installFn: QuickJSHandle): Outcome | undefined {
    const { request, guard } = this;
    const host = vm.newObject();
    const send = vm.newFunction("send", (idH, kindH, aH, bH, cH) => {
      const id = vm.getNumber(idH);
      if (str(vm, kindH) === "sleep") {
        const ms = vm.typeof(aH) === "number" ? vm.getNumber(aH) : 0;
        if (this.closed) return;
        this.sleeps++;
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.sleeps--;
            this.post(id, true, "");
          },
          Math.min(Math.max(0, ms), 2_147_483_647),
        );
        this.timers.add(timer);
        return;
      }
      const ns = str(vm, aH);
      const tool = str(vm, bH);
      // Arguments longer than the cap are refused before they are copied out of the sandbox.
      const refused = guard.refuseLongArguments(ns, tool, stringLength(vm, cH));
      if (refused !== undefined) {
        this.post(id, false, refused);
        return;
      }
      this.pendingCalls++;
      guard.call(ns, tool, str(vm, cH)).then(
        (value) => {
          this.pendingCalls--;
          this.post(id, true, value);
        },
        (err) => {
          this.pendingCalls--;
          this.post(id, false, typeof err === "string" ? err : String(err));
        },
      );
    });
    const log = vm.newFunction("log", (levelH, textH) => {
      guard.log(str(vm, levelH), str(vm, textH));
    });
    const done = vm.newFunction("done", (textH) => {
      if (this.outcome === undefined) this.outcome = str(vm, textH);
      this.notify();
    });
    vm.setProp(host, "send", send);
    vm.setProp(host, "log", log);
    vm.setProp(host, "done", done);
    for (const h of [send, log, done]) h.dispose();

    const config = vm.newString(
      JSON.stringify({
        bindings: request.bindings,
        maxLogBytes: request.limits.maxLogBytes,
        filename: FILENAME,
        lineOffset: 1,
      }),
    );
    try {
      guard.beginSlice();
      const apiResult = vm.callFunction(installFn, vm.undefined, host, config);
      installFn.dispose();
      if (apiResult.error)
        return { ok: false, error: this.describeHandle(vm, apiResult.error, "INTERNAL_ERROR") };
      const api = apiResult.value;
      this.deliverFn = vm.getProp(api, "deliver");

      const programResult = vm.evalCode(WRAP_HEAD + request.code + WRAP_TAIL, FILENAME, { strict: false });
      if (programResult.error) {
        api.dispose();
        return { ok: false, error: this.describeHandle(vm, programResult.error, "SYNTAX_ERROR") };
      }
      const program = programResult.value;
      const run = vm.getProp(api, "run");
      const started = vm.callFunction(run, api, program);
      for (const h of [run, program, api]) h.dispose();
      if (started.error)
        return { ok: false, error: this.describeHandle(vm, started.error, "INTERNAL_ERROR") };
      started.value.dispose();
      return undefined;
    } finally {
      guard.endSlice();
      host.dispose();
      config.dispose();
    }
  }

  /** Queues a host answer for the sandbox; the driver hands it over. */
  private post(id: number, ok: boolean, text: string): void {
    if (this.closed) return;
    this.inbox.push(`${id}:${ok ? 1 : 0}:${text}`);
    this.notify();
  }

  /** Hands queued answers to the sandbox. Returns an error handle outcome if delivery itself failed. */
  private deliver(vm: QuickJSContext): QuickJSHandle | undefined {
    const fn = this.deliverFn;
    if (!fn) return undefined;
    while (this.inbox.length) {
      const packet = this.inbox.shift() as string;
      const h = vm.newString(packet);
      const r = vm.callFunction(fn, vm.undefined, h);
      h.dispose();
      if (r.error) return r.error;
      r.value.dispose();
    }
    return undefined;
  }

  /** Runs jobs until the program reports its outcome, fails a limit, or can never finish. */
  private async drive(vm: QuickJSContext): Promise<Outcome | GuardFatal> {
    const rt = vm.runtime;
    // One ticker per run wakes the loop to re-check the clock while it waits on the host.
    const ticker = setInterval(() => this.notify(), TICK_MS);
    try {
      for (;;) {
        if (this.guard.fatal) return this.guard.fatal;
        if (this.outcome !== undefined) return this.parseOutcome(this.outcome);
        if (this.inbox.length) {
          this.guard.beginSlice();
          const err = this.deliver(vm);
          this.guard.endSlice();
          if (err) {
            const e = this.describeHandle(vm, err, "RUNTIME_ERROR");
            if (e.message.includes("interrupted")) return this.interruption();
            return { ok: false, error: e };
          }
        }
        if (rt.hasPendingJob()) {
          this.guard.beginSlice();
          const res = rt.executePendingJobs();
          this.guard.endSlice();
          if (res.error) {
            const err = this.describeHandle(vm, res.error, "RUNTIME_ERROR");
            if (err.message.includes("interrupted")) return this.interruption();
            // A job failed outside the program's own promise chain (e.g. a timer callback threw).
            this.guard.log("error", `Uncaught in a callback: ${err.message}`);
          } else res.dispose();
          if (this.shouldInterrupt()) return this.interruption();
          continue;
        }
        if (this.inbox.length) continue;
        if (this.pendingCalls === 0 && this.sleeps === 0) {
          return { code: "UNSETTLED", message: "the program awaited a promise that can never settle" };
        }
        if (this.shouldInterrupt()) return this.interruption();
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      clearInterval(ticker);
      this.deliverFn?.dispose();
      this.deliverFn = undefined;
    }
  }

  private interruption(): GuardFatal {
    if (this.guard.fatal) return this.guard.fatal;
    if (this.request.signal?.aborted) return ABORTED;
    if (this.memoryExceeded) return MEMORY_FATAL(this.request.limits.memoryMb);
    const { timeoutMs } = this.request.limits;
    if (this.guard.wallMs() > this.maxWallMs) {
      return { code: "TIMEOUT", message: `the run exceeded its wall-clock cap of ${this.maxWallMs} ms` };
    }
    return { code: "TIMEOUT", message: `the program ran longer than ${timeoutMs} ms` };
  }

  private parseOutcome(text: string): Outcome | GuardFatal {
    if (text.startsWith('{"ok":true,"value":') && text.endsWith("}")) {
      return { ok: true, value: text.slice('{"ok":true,"value":'.length, -1) };
    }
    try {
      const parsed = JSON.parse(text) as {
        ok?: boolean;
        error?: { code?: unknown; message?: unknown; line?: unknown; column?: unknown };
      };
      const e = parsed.error ?? {};
      const error: Outcome & { ok: false } = {
        ok: false,
        error: {
          code: typeof e.code === "string" ? e.code : "RUNTIME_ERROR",
          message: typeof e.message === "string" ? e.message : "the program failed",
        },
      };
      if (typeof e.line === "number") error.error.line = e.line;
      if (typeof e.column === "number") error.error.column = e.column;
      return error;
    } catch {
      return { code: "INTERNAL_ERROR", message: "the sandbox reported an unreadable outcome" };
    }
  }

  /** Reads an error handle into `{ code, message, line?, column? }` and disposes it. */
  private describeHandle(
    vm: QuickJSContext,
    handle: QuickJSHandle,
    fallback: string,
  ): NonNullable<SandboxResponse["error"]> {
    try {
      const name = readProp(vm, handle, "name");
      const message = readProp(vm, handle, "message") ?? str(vm, handle);
      const stack = readProp(vm, handle, "stack") ?? "";
      let code = fallback;
      if (name === "InternalError" && message === "out of memory") code = "MEMORY_LIMIT";
      else if (name === "InternalError" && message === "stack overflow") code = "STACK_OVERFLOW";
      else if (name === "InternalError" && message === "interrupted") code = "TIMEOUT";
      else if (name === "SyntaxError") code = "SYNTAX_ERROR";
      const out: NonNullable<SandboxResponse["error"]> = {
        code,
        message: name ? `${name}: ${message}` : message,
      };
      const m = /program\.js:(\d+)(?::(\d+))?/.exec(stack);
      const lineNumber = readProp(vm, handle, "lineNumber");
      const line = m ? Number(m[1]) - 1 : lineNumber ? Number(lineNumber) - 1 : undefined;
      if (line !== undefined && line >= 1) {
        out.line = line;
        if (m?.[2]) out.column = Number(m[2]);
      }
      return out;
    } finally {
      handle.dispose();
    }
  }
}

function str(vm: QuickJSContext, h: QuickJSHandle): string {
  const t = vm.typeof(h);
  if (t === "string") return vm.getString(h);
  if (t === "number") return String(vm.getNumber(h));
  return "";
}

/** A string handle's length in UTF-16 units, read without copying the string out. */
function stringLength(vm: QuickJSContext, h: QuickJSHandle): number {
  if (vm.typeof(h) !== "string") return 0;
  const len = vm.getProp(h, "length");
  try {
    return vm.typeof(len) === "number" ? vm.getNumber(len) : 0;
  } finally {
    len.dispose();
  }
}

function readProp(vm: QuickJSContext, h: QuickJSHandle, key: string): string | undefined {
  if (vm.typeof(h) !== "object") return undefined;
  const p = vm.getProp(h, key);
  try {
    const t = vm.typeof(p);
    if (t === "string") return vm.getString(p);
    if (t === "number") return String(vm.getNumber(p));
    return undefined;
  } finally {
    p.dispose();
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

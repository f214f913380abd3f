/**
 * QuickJS on worker threads (Node): the same sandbox as the embedded executor, but a program
 * that burns CPU until its time limit no longer stalls the host's event loop, so a gateway keeps
 * answering its other clients. Tool calls come back to the host thread over messages; the MCP
 * clients, policy and audit never leave it.
 *
 * Bounded: at most `threads` runs at once and `maxQueue` waiting; a run past that is answered at
 * once with BUSY. A thread whose program keeps running past its own time limit (sandbox time:
 * wall time minus time waiting on tool calls, as the host sees it) by more than a grace period is
 * terminated and replaced, so a spinning program holds a thread for at most timeoutMs + 1 s.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { tsxImport } from "../find-thread-entry.js";
import { defaultMaxWallMs, encodeBridgeError, programTooLarge } from "../guard.js";
import type { Executor, SandboxRequest, SandboxResponse } from "../types.js";
import type { FromThread, ThreadResources, ToThread } from "./messages.js";

export type { ThreadResources } from "./messages.js";

export interface QuickJSThreadExecutorOptions {
  /** Threads that run programs; a run waits for a free one. Default 2. */
  threads?: number;
  /**
   * Wall time after which a thread that has not answered is terminated and replaced. Default: the
   * sandbox's own wall-time cap (max(4 × timeoutMs, timeoutMs + 30 s)) plus 5 s, so a thread that
   * still answers always reports its own TIMEOUT first.
   */
  maxWallMs?: (timeoutMs: number) => number;
  /**
   * Runs that may wait for a free thread. Default 16 per thread. A run arriving with the queue
   * full is not queued: it ends at once with BUSY (and `retryAfterMs`).
   */
  maxQueue?: number;
  /**
   * How far past its timeoutMs of sandbox time (tool-call waits excluded) a run may go before the
   * host terminates its thread. Default 1000 ms; the thread's own interrupt normally stops it first.
   */
  overrunGraceMs?: number;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Waiter {
  resolve: (slot: Slot) => void;
  reject: (err: Error) => void;
}

/**
 * Where the thread's entry is: from source, `entry.ts` beside this file, run through tsx; from a
 * build, `quickjs-thread-entry.js` at the root of `dist/` (this code may sit in a chunk there or
 * one folder below, in `dist/cli/`).
 */
function findEntry(): { url: URL; execArgv: string[] } {
  if (import.meta.url.endsWith(".ts")) {
    return {
      url: new URL("./entry.ts", import.meta.url),
      execArgv: tsxImport(import.meta.url, createRequire, pathToFileURL),
    };
  }
  const candidates = ["./quickjs-thread-entry.js", "../quickjs-thread-entry.js"].map(
    (path) => new URL(path, import.meta.url),
  );
  const url = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (!url) throw new Error(`the QuickJS thread entry is missing (looked for ${candidates.join(", ")})`);
  return { url, execArgv: [] };
}

let entry: ReturnType<typeof findEntry> | undefined;

export class QuickJSThreadExecutor implements Executor {
  readonly name = "quickjs-thread";
  private readonly slots: Slot[] = [];
  private readonly waiting: Waiter[] = [];
  private readonly size: number;
  private readonly maxQueue: number;
  private closed = false;
  private nextProbe = 0;
  /** Recent run durations (ms), for the retry hint of a BUSY answer. */
  private readonly recentMs: number[] = [];

  constructor(private readonly options: QuickJSThreadExecutorOptions = {}) {
    this.size = Math.max(1, Math.floor(options.threads ?? 2));
    this.maxQueue = Math.max(0, Math.floor(options.maxQueue ?? this.size * 16));
  }

  async run(request: SandboxRequest): Promise<SandboxResponse> {
    if (this.closed) return failed("INTERNAL_ERROR", "the QuickJS thread executor was closed");
    if (request.signal?.aborted) return failed("ABORTED", "the run was cancelled");
    // Refused here, before it is copied to a thread or takes a place in the queue.
    const tooLarge = programTooLarge(request.code, request.limits);
    if (tooLarge) return failed(tooLarge.code, tooLarge.message);
    if (
      !this.slots.some((s) => !s.busy) &&
      this.slots.length >= this.size &&
      this.waiting.length >= this.maxQueue
    ) {
      return this.busy();
    }
    let slot: Slot;
    try {
      slot = await this.acquire(request.signal);
    } catch (err) {
      if (request.signal?.aborted)
        return failed("ABORTED", "the run was cancelled while it waited for a thread");
      return failed("INTERNAL_ERROR", `no sandbox thread could start: ${(err as Error).message}`);
    }
    try {
      return await this.runOn(slot, request);
    } finally {
      this.release(slot);
    }
  }

  /** Terminates every thread; runs in progress and waiting end with INTERNAL_ERROR. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error("the executor was closed"));
    const workers = this.slots.map((s) => s.worker);
    this.slots.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  /** Runs waiting for a free thread. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * What each started thread holds (active handles, JS heap after a GC when the process runs with
   * --expose-gc): for leak checks and monitoring. Threads that do not answer within 5 s are left out.
   */
  async resources(): Promise<ThreadResources[]> {
    const probes = this.slots.map(
      ({ worker }) =>
        new Promise<ThreadResources | undefined>((resolve) => {
          const id = this.nextProbe++;
          const timer = setTimeout(() => done(undefined), 5_000);
          const onMessage = (message: FromThread) => {
            if (message.type === "probe" && message.id === id) done(message.resources);
          };
          const done = (r: ThreadResources | undefined) => {
            clearTimeout(timer);
            worker.off("message", onMessage);
            resolve(r);
          };
          worker.on("message", onMessage);
          worker.postMessage({ type: "probe", id } satisfies ToThread);
        }),
    );
    return (await Promise.all(probes)).filter((r): r is ThreadResources => r !== undefined);
  }

  private busy(): SandboxResponse {
    // A thread frees up after about one typical run; say so, with a floor of a second.
    const sorted = [...this.recentMs].sort((a, b) => a - b);
    const typical = sorted[Math.floor(sorted.length / 2)] ?? 1000;
    const retryAfterMs = Math.max(1000, Math.ceil(typical));
    const response = failed(
      "BUSY",
      `the sandbox is busy: all ${this.size} threads are running programs and ${this.waiting.length} more are waiting (at most ${this.maxQueue}); nothing ran, retry in about ${Math.ceil(retryAfterMs / 1000)} s`,
    );
    if (response.error) response.error.retryAfterMs = retryAfterMs;
    return response;
  }

  private runOn(slot: Slot, request: SandboxRequest): Promise<SandboxResponse> {
    const { worker } = slot;
    // A run in progress keeps the process alive; an idle thread does not.
    worker.ref();
    const started = performance.now();
    const limitMs = (this.options.maxWallMs ?? defaultMaxWall)(request.limits.timeoutMs);
    const overrunMs = request.limits.timeoutMs + (this.options.overrunGraceMs ?? OVERRUN_GRACE_MS);
    // The host's view of the run's sandbox time: wall time since the thread started the program
    // (a fresh thread's boot is not the program's) minus time with a tool call in flight.
    let programStarted: number | undefined;
    let inFlight = 0;
    let waitedMs = 0;
    let waitingSince: number | undefined;
    const sandboxMs = (now: number) =>
      programStarted === undefined
        ? 0
        : now - programStarted - waitedMs - (waitingSince === undefined ? 0 : now - waitingSince);
    let ended = false;
    return new Promise<SandboxResponse>((resolve) => {
      const finish = (response: SandboxResponse) => {
        ended = true;
        clearTimeout(timer);
        clearTimeout(abortTimer);
        clearInterval(watch);
        request.signal?.removeEventListener("abort", onAbort);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        this.recentMs.push(performance.now() - started);
        if (this.recentMs.length > 32) this.recentMs.shift();
        resolve(response);
      };
      // The thread stops at its next interrupt check; one spinning in QuickJS never reads its
      // messages, so if it has not answered shortly, the thread is terminated instead.
      let abortTimer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        worker.postMessage({ type: "abort" } satisfies ToThread);
        abortTimer = setTimeout(() => {
          this.replace(slot);
          finish(failed("ABORTED", "the run was cancelled", started));
        }, ABORT_GRACE_MS);
      };
      const onMessage = (message: FromThread) => {
        if (message.type === "done") return finish(message.response);
        if (message.type === "started") {
          programStarted = performance.now();
          return;
        }
        if (message.type === "refused") {
          const { ns, tool, code, message: text, args } = message;
          return request.onRefusedCall?.(ns, tool, { code, message: text }, args);
        }
        if (message.type !== "call") return;
        if (inFlight++ === 0) waitingSince = performance.now();
        const answer = (ok: boolean, value: string) => {
          if (--inFlight === 0 && waitingSince !== undefined) {
            waitedMs += performance.now() - waitingSince;
            waitingSince = undefined;
          }
          if (!ended) worker.postMessage({ type: "answer", id: message.id, ok, value } satisfies ToThread);
        };
        let call: Promise<string>;
        try {
          call = request.callTool(message.ns, message.tool, message.args);
        } catch (err) {
          call = Promise.reject(err);
        }
        call.then(
          (value) => answer(true, value),
          (err) => answer(false, encodeBridgeError(err)),
        );
      };
      // Stops a thread that keeps running past its own time limit (stuck outside QuickJS's interrupt).
      const watch = setInterval(() => {
        if (sandboxMs(performance.now()) <= overrunMs) return;
        this.replace(slot);
        finish(
          failed(
            "TIMEOUT",
            `the program ran longer than ${request.limits.timeoutMs} ms and did not stop, so the host stopped its thread`,
            started,
          ),
        );
      }, WATCH_MS);
      const onError = (err: Error) => {
        this.replace(slot);
        finish(failed("INTERNAL_ERROR", `the sandbox thread failed: ${err.message}`, started));
      };
      const onExit = () => {
        this.replace(slot);
        finish(failed("INTERNAL_ERROR", "the sandbox thread exited during the run", started));
      };
      const timer = setTimeout(() => {
        this.replace(slot);
        finish(failed("TIMEOUT", `the program ran longer than ${limitMs} ms of wall time`, started));
      }, limitMs);
      request.signal?.addEventListener("abort", onAbort, { once: true });
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      worker.postMessage({
        type: "run",
        code: request.code,
        bindings: request.bindings,
        limits: request.limits,
      } satisfies ToThread);
    });
  }

  private acquire(signal?: AbortSignal): Promise<Slot> {
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    if (this.slots.length < this.size) {
      const slot = { worker: spawn(), busy: true };
      this.slots.push(slot);
      return Promise.resolve(slot);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (slot) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(slot);
        },
        reject,
      };
      // A run cancelled while it waits leaves the queue at once.
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new Error("cancelled"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Hands the thread to the next waiting run, or marks it free. */
  private release(slot: Slot): void {
    slot.worker.unref();
    const next = this.waiting.shift();
    if (next) next.resolve(slot);
    else slot.busy = false;
  }

  /** Swaps a dead or stuck thread for a fresh one (none once the executor is closed). */
  private replace(slot: Slot): void {
    const old = slot.worker;
    old.removeAllListeners();
    void old.terminate();
    if (!this.closed) slot.worker = spawn();
  }
}

function spawn(): Worker {
  entry ??= findEntry();
  const { url, execArgv } = entry;
  const worker = new Worker(url, { execArgv });
  // An idle pool must not keep the process alive.
  worker.unref();
  return worker;
}

/** How long after the sandbox's own cap the host gives up on a thread. */
const BACKSTOP_GRACE_MS = 5_000;
/** How far past timeoutMs of sandbox time a thread may run before the host terminates it. */
const OVERRUN_GRACE_MS = 1_000;
/** How long a cancelled run's thread has to stop on its own before it is terminated. */
const ABORT_GRACE_MS = 200;
/** How often the host checks a run's sandbox time. */
const WATCH_MS = 100;
const defaultMaxWall = (timeoutMs: number) => defaultMaxWallMs(timeoutMs) + BACKSTOP_GRACE_MS;

function failed(code: string, message: string, started = performance.now()): SandboxResponse {
  return {
    ok: false,
    logs: [],
    error: { code, message },
    stats: { wallMs: Math.round((performance.now() - started) * 1000) / 1000, toolCalls: 0 },
  };
}

/** Creates a QuickJS executor whose programs run on worker threads (Node only). */
export function createQuickJSThreadExecutor(options?: QuickJSThreadExecutorOptions): QuickJSThreadExecutor {
  return new QuickJSThreadExecutor(options);
}

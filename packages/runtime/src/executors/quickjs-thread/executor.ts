/**
 * QuickJS on worker threads (Node): the same sandbox as the embedded executor, but a program
 * that burns CPU until its time limit no longer stalls the host's event loop, so a gateway keeps
 * answering its other clients. Tool calls come back to the host thread over messages; the MCP
 * clients, policy and audit never leave it.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { defaultMaxWallMs, encodeBridgeError } from "../guard.js";
import type { Executor, SandboxRequest, SandboxResponse } from "../types.js";
import type { FromThread, ToThread } from "./messages.js";

export interface QuickJSThreadExecutorOptions {
  /** Threads that run programs; a run waits for a free one. Default 2. */
  threads?: number;
  /**
   * Wall time after which a thread that has not answered is terminated and replaced. Default: the
   * sandbox's own wall-time cap (max(4 × timeoutMs, timeoutMs + 30 s)) plus 5 s, so a thread that
   * still answers always reports its own TIMEOUT first.
   */
  maxWallMs?: (timeoutMs: number) => number;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

/**
 * Where the thread's entry is: from source, `entry.ts` beside this file, run through tsx; from a
 * build, `quickjs-thread-entry.js` at the root of `dist/` (this code may sit in a chunk there or
 * one folder below, in `dist/cli/`).
 */
function findEntry(): { url: URL; execArgv: string[] } {
  if (import.meta.url.endsWith(".ts")) {
    return { url: new URL("./entry.ts", import.meta.url), execArgv: ["--import", "tsx"] };
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
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly size: number;
  private closed = false;

  constructor(private readonly options: QuickJSThreadExecutorOptions = {}) {
    this.size = Math.max(1, Math.floor(options.threads ?? 2));
  }

  async run(request: SandboxRequest): Promise<SandboxResponse> {
    if (this.closed) return failed("INTERNAL_ERROR", "the QuickJS thread executor was closed");
    let slot: Slot;
    try {
      slot = await this.acquire();
    } catch (err) {
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
    const workers = this.slots.map((s) => s.worker);
    this.slots.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private runOn(slot: Slot, request: SandboxRequest): Promise<SandboxResponse> {
    const { worker } = slot;
    // A run in progress keeps the process alive; an idle thread does not.
    worker.ref();
    const started = performance.now();
    const limitMs = (this.options.maxWallMs ?? defaultMaxWall)(request.limits.timeoutMs);
    return new Promise<SandboxResponse>((resolve) => {
      const finish = (response: SandboxResponse) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        resolve(response);
      };
      const onMessage = (message: FromThread) => {
        if (message.type === "done") return finish(message.response);
        const answer = (ok: boolean, value: string) =>
          worker.postMessage({ type: "answer", id: message.id, ok, value } satisfies ToThread);
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

  private acquire(): Promise<Slot> {
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
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the thread to the next waiting run, or marks it free. */
  private release(slot: Slot): void {
    slot.worker.unref();
    const next = this.waiting.shift();
    if (next) next(slot);
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

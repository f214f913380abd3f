/**
 * Checks a tool's structured answer against the output schema its server declared, without
 * letting the server's schema take the host thread.
 *
 * A schema is server-supplied code in all but name: a `pattern` such as `^(a+)+$` runs in a
 * backtracking regex engine, nested `anyOf`s can be exponential, and the MCP SDK ran it all (Ajv)
 * on the host thread, so one hostile server froze every client. Here:
 * - In Node, the schema is compiled and run by Ajv in a worker thread, one per server, with a
 *   time limit (`outputCheckTimeoutMs`, the thread's own CPU time where Node reports it: see
 *   `checkDeadline`); past it the worker is terminated and the call fails with
 *   `OUTPUT_SCHEMA_TIMEOUT`. Full JSON Schema semantics, patterns included.
 * - Where there are no worker threads or code generation is refused (Cloudflare Workers), and for a
 *   validator the caller supplies (`schemaValidator`), validation runs on the host thread on the
 *   schema without `pattern`/`patternProperties` (schema-regex.ts): those are not enforced there.
 */
import type { JsonSchemaType, jsonSchemaValidator } from "@modelcontextprotocol/client";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/client/validators/cf-worker";
import { ToolCallError } from "../errors.js";
import { withoutServerRegexes } from "./schema-regex.js";
import { codeGenerationAllowed } from "./schema-validator.js";

/** Checks one answer: resolves with `undefined` when it matches, else with what is wrong. */
export interface OutputCheck {
  /** Rejects with a `ToolCallError` (`OUTPUT_SCHEMA_TIMEOUT`) when the check cannot finish in time. */
  check(tool: string, schema: Record<string, unknown>, value: unknown): Promise<string | undefined>;
  close(): void;
}

/** How long one check may take by default (compiling the schema included). */
export const DEFAULT_OUTPUT_CHECK_TIMEOUT_MS = 2_000;

/**
 * The limit is the checking thread's own CPU time, where Node reports it (`Worker.cpuUsage`): on a
 * loaded machine the thread can wait for a core for seconds, and that wait is not the schema's
 * cost. A check still ends once it has taken this many times the limit on the wall clock, so a
 * thread that never gets a core cannot hold a call for ever.
 */
export const OUTPUT_CHECK_WALL_CAP_FACTOR = 10;

/** What to do when a check's timer fires: end it, or look again after `recheckInMs`. */
export type CheckDeadline = { expired: true } | { expired: false; recheckInMs: number };

/**
 * Whether a check has used up its time. `cpuMs` is the checking thread's CPU time since the job
 * started (undefined where it cannot be measured: then the wall clock is the limit).
 */
export function checkDeadline(input: {
  limitMs: number;
  wallMs: number;
  cpuMs: number | undefined;
}): CheckDeadline {
  const { limitMs, wallMs, cpuMs } = input;
  if (cpuMs === undefined)
    return wallMs >= limitMs ? { expired: true } : { expired: false, recheckInMs: limitMs - wallMs };
  const wallCap = limitMs * OUTPUT_CHECK_WALL_CAP_FACTOR;
  if (cpuMs >= limitMs || wallMs >= wallCap) return { expired: true };
  // Never sooner than 25 ms: the thread cannot have used more CPU than wall time passed.
  return { expired: false, recheckInMs: Math.max(25, Math.min(limitMs - cpuMs, wallCap - wallMs)) };
}

export interface OutputCheckOptions {
  server: string;
  /** A caller's validator: runs on the host thread, so on schemas without server regexes. */
  validator?: jsonSchemaValidator;
  timeoutMs?: number;
}

/** The check for this runtime: a worker thread in Node, the host thread elsewhere (see module doc). */
export function createOutputCheck(options: OutputCheckOptions): OutputCheck {
  if (options.validator) return new HostOutputCheck(options.validator);
  if (workerThreadsLikely()) {
    return new ThreadOutputCheck(options.server, options.timeoutMs ?? DEFAULT_OUTPUT_CHECK_TIMEOUT_MS);
  }
  return new HostOutputCheck(new CfWorkerJsonSchemaValidator());
}

function workerThreadsLikely(): boolean {
  // workerd with nodejs_compat reports a Node version (and tests may allow eval) but has no real
  // worker threads or module resolution: its user agent says where we are.
  const ua = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  if (ua === "Cloudflare-Workers") return false;
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string" && codeGenerationAllowed();
}

/** Validation on the host thread, on the schema without its regexes (which only loosens it). */
export class HostOutputCheck implements OutputCheck {
  private readonly compiled = new WeakMap<object, ReturnType<jsonSchemaValidator["getValidator"]>>();
  constructor(private readonly validator: jsonSchemaValidator) {}

  async check(_tool: string, schema: Record<string, unknown>, value: unknown): Promise<string | undefined> {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.validator.getValidator(withoutServerRegexes(schema) as JsonSchemaType);
      this.compiled.set(schema, validate);
    }
    const result = validate(value);
    return result.valid ? undefined : result.errorMessage;
  }

  close(): void {}
}

interface Job {
  id: number;
  tool: string;
  schema: Record<string, unknown>;
  value: unknown;
  resolve(message: string | undefined): void;
  reject(error: Error): void;
}

interface WorkerLike {
  postMessage(message: unknown): void;
  on(
    event: "message",
    listener: (m: { id: number; valid: boolean; message?: string; ready?: true }) => void,
  ): void;
  on(event: "error", listener: (err: Error) => void): void;
  on(event: "exit", listener: (code: number) => void): void;
  terminate(): Promise<number>;
  unref(): void;
  /** The thread's CPU time in microseconds (Node 22.19+/24.6+; absent before). */
  cpuUsage?(): Promise<{ user: number; system: number }>;
}

/** A job's clock: wall time since it was posted and, where Node reports it, the thread's CPU time. */
class JobClock {
  private readonly startedAt = performance.now();
  private readonly cpuAtStart: Promise<number | undefined>;

  constructor(private readonly worker: WorkerLike) {
    this.cpuAtStart = this.cpuMicros();
  }

  async elapsed(): Promise<{ wallMs: number; cpuMs: number | undefined }> {
    const [start, now] = await Promise.all([this.cpuAtStart, this.cpuMicros()]);
    const wallMs = performance.now() - this.startedAt;
    return { wallMs, cpuMs: start === undefined || now === undefined ? undefined : (now - start) / 1000 };
  }

  private async cpuMicros(): Promise<number | undefined> {
    if (typeof this.worker.cpuUsage !== "function") return undefined;
    try {
      const usage = await this.worker.cpuUsage();
      return usage.user + usage.system;
    } catch {
      // The thread ended in between: its exit handler settles the job.
      return undefined;
    }
  }
}

/**
 * The worker's code (CommonJS, run with `eval`): compiles each schema once with the MCP SDK's Ajv
 * provider (the same verdicts the SDK's own check gives) and answers `{ id, valid, message }`.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { AjvJsonSchemaValidator } = require(workerData.ajvProvider);
const provider = new AjvJsonSchemaValidator();
const validators = new Map();
parentPort.postMessage({ ready: true });
parentPort.on("message", (m) => {
  try {
    let validate = validators.get(m.key);
    if (!validate) {
      validate = provider.getValidator(m.schema);
      validators.set(m.key, validate);
    }
    const r = validate(m.value);
    parentPort.postMessage({ id: m.id, valid: r.valid, message: r.errorMessage });
  } catch (err) {
    parentPort.postMessage({ id: m.id, valid: false, message: "the output schema could not be used: " + (err && err.message || String(err)) });
  }
});
`;

/** Where the worker finds the SDK's Ajv provider (a path, as the eval'd worker `require`s it). */
let ajvProvider: Promise<string> | undefined;

/**
 * Output checks in a worker thread, one job at a time, each bounded by `timeoutMs`. A job past its
 * time terminates the worker (the only way to stop a running regex) and the next job gets a new
 * one. One per server: a hostile server's checks only ever wait for its own.
 */
export class ThreadOutputCheck implements OutputCheck {
  private worker: WorkerLike | undefined;
  private starting: Promise<WorkerLike> | undefined;
  private readonly queue: Job[] = [];
  private current:
    | { job: Job; timer: ReturnType<typeof setTimeout> | undefined; clock?: JobClock | undefined }
    | undefined;
  private nextId = 1;
  /** Schemas the current worker has compiled, by key. */
  private sent = new Set<number>();
  private readonly keys = new WeakMap<object, number>();
  private nextKey = 1;

  constructor(
    private readonly server: string,
    private readonly timeoutMs: number,
  ) {}

  check(tool: string, schema: Record<string, unknown>, value: unknown): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, tool, schema, value, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = { job, timer: undefined };
    this.start().then(
      (worker) => {
        if (this.current?.job !== job) return;
        // The clock starts when the worker has the job: starting a worker is our cost, not the schema's.
        this.current.clock = new JobClock(worker);
        this.current.timer = setTimeout(() => void this.onTimer(job), this.timeoutMs);
        let key = this.keys.get(job.schema);
        if (key === undefined) {
          key = this.nextKey++;
          this.keys.set(job.schema, key);
        }
        const schema = this.sent.has(key) ? undefined : job.schema;
        try {
          worker.postMessage({ id: job.id, key, schema, value: job.value });
          this.sent.add(key);
        } catch (err) {
          // A value the structured clone refuses (nested too deeply, say) cannot be checked.
          this.settle(job, {
            error: new ToolCallError(
              "TOOL_ERROR",
              `MCP server "${this.server}" answered ${job.tool} with structured content that could not be ` +
                `checked against the tool's output schema: ${err instanceof Error ? err.message : String(err)}`,
              { server: this.server, tool: job.tool },
            ),
          });
        }
      },
      (err: unknown) => this.settle(job, { error: err instanceof Error ? err : new Error(String(err)) }),
    );
  }

  private settle(job: Job, outcome: { message?: string; error?: Error }): void {
    if (this.current?.job !== job) return;
    clearTimeout(this.current.timer);
    this.current = undefined;
    if (outcome.error) job.reject(outcome.error);
    else job.resolve(outcome.message);
    this.pump();
  }

  /** The job's timer fired: end it if it used its time, else look again when it could have. */
  private async onTimer(job: Job): Promise<void> {
    const current = this.current;
    if (current?.job !== job || !current.clock) return;
    const elapsed = await current.clock.elapsed();
    if (this.current !== current) return;
    const deadline = checkDeadline({ limitMs: this.timeoutMs, ...elapsed });
    if (deadline.expired) this.timeout(job);
    else current.timer = setTimeout(() => void this.onTimer(job), deadline.recheckInMs);
  }

  private timeout(job: Job): void {
    this.discardWorker();
    this.settle(job, {
      error: new ToolCallError(
        "OUTPUT_SCHEMA_TIMEOUT",
        `MCP server "${this.server}" answered ${job.tool}, but checking the answer against the tool's output schema ` +
          `took more than ${this.timeoutMs} ms of the checking thread's time (a pattern or schema too costly to ` +
          `evaluate), so the answer was ` +
          "discarded. Ask the server's owner to simplify the output schema, or raise outputCheckTimeoutMs.",
        { server: this.server, tool: job.tool },
      ),
    });
  }

  private discardWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.starting = undefined;
    this.sent = new Set();
    worker?.terminate().catch(() => {});
  }

  private start(): Promise<WorkerLike> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= (async () => {
      const { Worker } = await import("node:worker_threads");
      ajvProvider ??= import("node:module").then((m) =>
        m.createRequire(import.meta.url).resolve("@modelcontextprotocol/client/validators/ajv"),
      );
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { ajvProvider: await ajvProvider },
        // A schema that builds a huge validator, or a huge answer, ends this worker, not the host.
        resourceLimits: { maxOldGenerationSizeMb: 256 },
      }) as unknown as WorkerLike;
      worker.unref();
      let ready!: () => void;
      let failed!: (err: Error) => void;
      const loaded = new Promise<void>((resolve, reject) => {
        ready = resolve;
        failed = reject;
      });
      worker.on("message", (m) => {
        if (m.ready) return ready();
        const job = this.current?.job;
        if (job && job.id === m.id)
          this.settle(job, { message: m.valid ? undefined : (m.message ?? "invalid") });
      });
      const died = (reason: string) => {
        failed(new Error(`the output-check thread of "${this.server}" failed to start: ${reason}`));
        if (this.worker !== worker) return;
        this.discardWorker();
        const job = this.current?.job;
        if (job)
          this.settle(job, {
            error: new ToolCallError(
              "OUTPUT_SCHEMA_TIMEOUT",
              `MCP server "${this.server}" answered ${job.tool}, but the answer could not be checked against the ` +
                `tool's output schema (${reason}), so it was discarded.`,
              { server: this.server, tool: job.tool },
            ),
          });
      };
      worker.on("error", (err) => died(err.message));
      worker.on("exit", (code) => died(`the checking thread exited with code ${code}`));
      this.worker = worker;
      // Loading Ajv is the worker's start-up, not the first job's time.
      await loaded;
      return worker;
    })();
    return this.starting;
  }

  /** Ends the worker and fails the checks waiting; a later check starts a new worker. */
  close(): void {
    const pending = [...(this.current ? [this.current.job] : []), ...this.queue.splice(0)];
    if (this.current) clearTimeout(this.current.timer);
    this.current = undefined;
    this.discardWorker();
    for (const job of pending) job.reject(new Error(`MCP server "${this.server}" was closed`));
  }
}

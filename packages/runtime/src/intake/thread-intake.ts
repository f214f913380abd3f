/**
 * Intake on worker threads (Node). Type-stripping and parsing are synchronous and their cost grows
 * with the program (a 256 KiB program can take seconds, and a regex over it longer); on the host
 * thread nothing could stop them, and every other client waited. Here each job runs on a pooled
 * thread with the run's remaining time as its budget; past it, or when the run is cancelled, the
 * thread is terminated (the only way to stop synchronous work) and a later job starts a new one.
 *
 * Bounded: at most `threads` jobs run at once, the rest wait (for a free thread; waiting is not
 * counted against a job's budget, as the host's queue is not the program's cost). Threads start
 * on demand and idle ones never keep the process alive.
 */
import type { Worker } from "node:worker_threads";
import { ErrorCodes, ProgramError } from "../errors.js";
import { findThreadEntry, type ThreadEntry } from "../executors/find-thread-entry.js";
import { type PreparedParts, programFromParts } from "./prepare.js";
import type { FromIntakeThread, IntakeJob } from "./thread-messages.js";
import { type IntakeBounds, type IntakeOutcome, IntakeStopped, type ProgramIntake } from "./types.js";

export interface ThreadIntakeOptions {
  /** Intake jobs that may run at once, each on its own thread. Default 4. */
  threads?: number;
  /** Old-generation heap of each intake thread, MiB: a program that needs more fails, not the host. Default 512. */
  maxHeapMb?: number;
}

interface Slot {
  worker: Worker;
  /** Settles when the thread has loaded its code (rejects when it could not start). */
  ready: Promise<void>;
  busy: boolean;
  /** The job's listener, while one runs. */
  onAnswer?: (answer: FromIntakeThread) => void;
  /** Called when the thread dies (error or exit) while a job runs. */
  onDeath?: (reason: Error) => void;
}

let entry: Promise<ThreadEntry> | undefined;

/** Intake on a pool of worker threads; see the module doc. */
export class ThreadIntake implements ProgramIntake {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly size: number;
  private readonly maxHeapMb: number;
  /** Threads being spawned (not yet in `slots`), so concurrent jobs never start more than `size`. */
  private starting = 0;
  private nextId = 1;

  constructor(options: ThreadIntakeOptions = {}) {
    this.size = Math.max(1, Math.floor(options.threads ?? 4));
    this.maxHeapMb = Math.max(16, Math.floor(options.maxHeapMb ?? 512));
  }

  /** Jobs running now (each holds a thread). */
  get running(): number {
    return this.slots.filter((s) => s.onAnswer).length;
  }

  /** Threads started and not terminated. */
  get threads(): number {
    return this.slots.length;
  }

  async warmup(): Promise<void> {
    if (this.slots.length > 0) return;
    const slot = await this.spawn(false);
    slot.ready.then(
      () => {
        if (!slot.busy) slot.worker.unref();
      },
      () => this.drop(slot),
    );
    await slot.ready.catch(() => {});
  }

  async prepare(source: string, namespaces: readonly string[], bounds: IntakeBounds): Promise<IntakeOutcome> {
    const asked = performance.now();
    if (bounds.signal?.aborted) throw new IntakeStopped("aborted");
    const slot = await this.acquire(bounds.signal);
    const waitedMs = performance.now() - asked;
    try {
      const parts = await this.runOn(
        slot,
        { id: this.nextId++, source, namespaces: [...namespaces] },
        bounds,
      );
      return { program: programFromParts(source, parts), waitedMs };
    } finally {
      this.release(slot);
    }
  }

  /** Terminates every thread (jobs in progress fail); a later job starts new ones. */
  async close(): Promise<void> {
    const workers = this.slots.splice(0).map((s) => s.worker);
    await Promise.all(workers.map((w) => w.terminate().catch(() => 0)));
  }

  private runOn(slot: Slot, job: IntakeJob, bounds: IntakeBounds): Promise<PreparedParts> {
    return new Promise<PreparedParts>((resolve, reject) => {
      const end = () => {
        clearTimeout(timer);
        bounds.signal?.removeEventListener("abort", onAbort);
        slot.onAnswer = undefined;
        slot.onDeath = undefined;
      };
      // Synchronous work cannot be interrupted: stopping it means ending its thread.
      const stop = (reason: "deadline" | "aborted") => {
        end();
        this.drop(slot);
        reject(new IntakeStopped(reason));
      };
      const onAbort = () => stop("aborted");
      // The clock starts now, when a loaded thread has the job.
      const timer = setTimeout(() => stop("deadline"), Math.max(0, bounds.budgetMs));
      bounds.signal?.addEventListener("abort", onAbort, { once: true });
      slot.onAnswer = (answer) => {
        if (answer.type !== "done" || answer.id !== job.id) return;
        end();
        if (answer.ok) return resolve(answer.parts);
        const { code, message, line, column, internal } = answer.error;
        reject(internal ? new Error(message) : new ProgramError(code, message, { line, column }));
      };
      slot.onDeath = (reason) => {
        end();
        reject(reason);
      };
      try {
        slot.worker.postMessage(job);
      } catch (err) {
        end();
        reject(err);
      }
    });
  }

  private async acquire(signal?: AbortSignal): Promise<Slot> {
    for (;;) {
      const free = this.slots.find((s) => !s.busy);
      const slot =
        free ?? (this.slots.length + this.starting < this.size ? await this.spawn(true) : undefined);
      if (slot) {
        slot.busy = true;
        slot.worker.ref();
        try {
          await slot.ready;
        } catch (err) {
          this.drop(slot);
          throw err;
        }
        // A run cancelled while its thread was starting does not take the thread.
        if (signal?.aborted) {
          this.release(slot);
          throw new IntakeStopped("aborted");
        }
        return slot;
      }
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const at = this.waiting.indexOf(wake);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(new IntakeStopped("aborted"));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
        this.waiting.push(wake);
      });
    }
  }

  /** Frees a thread that finished its job (or was dropped) and wakes the next waiting job. */
  private release(slot: Slot): void {
    if (this.slots.includes(slot)) {
      slot.busy = false;
      slot.worker.unref();
    }
    this.waiting.shift()?.();
  }

  /** Terminates a thread and forgets it; a later job starts a new one. */
  private drop(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    slot.worker.removeAllListeners();
    void slot.worker.terminate().catch(() => 0);
  }

  /** Starts a thread; `busy` takes it for the caller before anyone else can see it free. */
  private async spawn(busy: boolean): Promise<Slot> {
    this.starting++;
    let found: [typeof import("node:worker_threads"), ThreadEntry];
    try {
      entry ??= findThreadEntry(import.meta.url, "./thread-worker.ts", "intake-thread-entry.js");
      found = await Promise.all([import("node:worker_threads"), entry]);
    } finally {
      this.starting--;
    }
    const [{ Worker }, { path, execArgv }] = found;
    const worker = new Worker(path, {
      execArgv,
      // A program whose parse tree outgrows this ends its intake thread, not the host.
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
    });
    let loaded!: () => void;
    let failed!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      loaded = resolve;
      failed = reject;
    });
    // Awaited by whoever spawned it; a rejection nobody awaits is not an unhandled one.
    ready.catch(() => {});
    const slot: Slot = { worker, ready, busy };
    const died = (reason: Error) => {
      failed(new Error(`the intake thread failed to start: ${reason.message}`));
      const onDeath = slot.onDeath;
      this.drop(slot);
      onDeath?.(reason);
    };
    worker.on("message", (message: FromIntakeThread) => {
      if (message.type === "ready") loaded();
      else slot.onAnswer?.(message);
    });
    worker.on("error", (err: Error & { code?: string }) => died(intakeDeath(err, this.maxHeapMb)));
    worker.on("exit", (code) => died(new Error(`the intake thread exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }
}

/** What a job is told when its thread died under it: out of memory is the program's doing. */
function intakeDeath(err: Error & { code?: string }, maxHeapMb: number): Error {
  if (err.code === "ERR_WORKER_OUT_OF_MEMORY") {
    return new ProgramError(
      ErrorCodes.PROGRAM_TOO_LARGE,
      `parsing the program needed more than the intake's ${maxHeapMb} MiB of memory: send a smaller or simpler program`,
    );
  }
  return new Error(`the intake thread failed: ${err.message}`);
}

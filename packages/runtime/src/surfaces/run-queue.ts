/**
 * The gateway's run queue: bounded, fair across clients, and quick to say no. A free slot goes
 * to the waiting client that has used the least run time recently (the wall time of its runs,
 * halving every `usageHalfLifeMs`; ties go round robin), so a client whose programs spin to
 * their limit falls behind clients with short runs instead of taking turns with them, and
 * waiting earns no credit. No client holds more than `perClientConcurrency` of the
 * `concurrency` slots, and a full queue refuses at once with `BusyError` (code `BUSY`, with a
 * retry hint) instead of growing.
 */
import { ErrorCodes, ToolpacksError } from "../errors.js";

export interface RunQueueOptions {
  /** Runs executing at once (match the executor: `--threads N` runs N at a time). Default 2. */
  concurrency?: number;
  /** Runs one client may execute at once. Default 1, so one client never takes every slot. */
  perClientConcurrency?: number;
  /**
   * Runs waiting across all clients (0: start at once or refuse). Default 64. When full, a client
   * that has used less run time than the heaviest waiting client takes that client's newest
   * place (which is answered `BUSY`); any other newcomer gets `BUSY`.
   */
  maxQueued?: number;
  /** Runs one client may have waiting; past it, `BUSY` for that client only. Default 4. */
  perClientQueued?: number;
  /** How fast a client's recorded run time fades: it halves every this many ms. Default 30 000. */
  usageHalfLifeMs?: number;
  /** Clock in ms (default `performance.now`); a test passes its own to charge exact run times. */
  now?: () => number;
}

/** The queue refused a run; nothing ran. `retryAfterMs` estimates when a retry can be accepted. */
export class BusyError extends ToolpacksError {
  override name = "BusyError";
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super(ErrorCodes.BUSY, message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A run that waited in the queue was cancelled by its caller before it started. */
export class QueuedRunAbortedError extends ToolpacksError {
  override name = "QueuedRunAbortedError";
  constructor() {
    super(ErrorCodes.ABORTED, "the run was cancelled while it waited in the gateway's queue; nothing ran");
  }
}

interface Waiting {
  start(): void;
  /** Refuses the run before it started (it was evicted to make room for a lighter client). */
  refuse(err: BusyError): void;
}

interface ClientState {
  key: string;
  running: number;
  waiting: Waiting[];
  /** Run time used (ms), as of `usedAt`; it fades with the half-life. */
  used: number;
  usedAt: number;
}

/** What the queue holds right now. */
export interface RunQueueStats {
  running: number;
  queued: number;
  /** Clients with a run running or waiting. */
  clients: number;
}

const atLeast = (min: number, value: number | undefined, fallback: number) =>
  value !== undefined && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;

/** Idle clients whose use is still remembered (so going idle for a moment does not wipe it). */
const MAX_REMEMBERED = 10_000;

/** Bounds of the retry hint: soon enough to be useful, never an instruction to hammer. */
const MIN_RETRY_MS = 250;
const MAX_RETRY_MS = 60_000;

/**
 * A bounded, per-client fair run queue. With C = `concurrency`, c = `perClientConcurrency` and
 * T = the longest a run may take: when c < C, a single other client, however many runs it sends,
 * never delays another client's run at all; and a client's run waits for at most one run in
 * progress to end (≤ T) plus the runs of clients that have recently used less run time than it,
 * never behind another run of a client that has used more (such as one whose programs spin to T).
 */
export class RunQueue {
  readonly concurrency: number;
  readonly perClientConcurrency: number;
  readonly maxQueued: number;
  readonly perClientQueued: number;
  private readonly clients = new Map<string, ClientState>();
  /** Clients with waiting runs, in arrival order (the tie-break among equal use). */
  private readonly turns: ClientState[] = [];
  private running = 0;
  private queued = 0;
  private readonly now: () => number;
  private readonly halfLifeMs: number;
  /** Moving average of run durations, for the retry hint. */
  private averageRunMs = 1000;

  constructor(options: RunQueueOptions = {}) {
    this.concurrency = atLeast(1, options.concurrency, 2);
    this.perClientConcurrency = Math.min(atLeast(1, options.perClientConcurrency, 1), this.concurrency);
    // 0 waiting is allowed: then a run starts at once or is refused with BUSY.
    this.maxQueued = atLeast(0, options.maxQueued, 64);
    this.perClientQueued = Math.min(atLeast(0, options.perClientQueued, 4), this.maxQueued);
    this.now = options.now ?? (() => performance.now());
    this.halfLifeMs =
      options.usageHalfLifeMs && options.usageHalfLifeMs > 0 ? options.usageHalfLifeMs : 30_000;
  }

  stats(): RunQueueStats {
    let clients = 0;
    for (const c of this.clients.values()) if (c.running > 0 || c.waiting.length > 0) clients++;
    return { running: this.running, queued: this.queued, clients };
  }

  /**
   * Runs `task` for `client` when its turn comes. Rejects at once with `BusyError` when the
   * queue (or this client's share of it) is full, and with `QueuedRunAbortedError` when `signal`
   * aborts before the run started; once started, the task's own outcome is returned.
   */
  run<T>(client: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(new QueuedRunAbortedError());
    let state = this.clients.get(client);
    if (!state) {
      state = { key: client, running: 0, waiting: [], used: 0, usedAt: this.now() };
      this.clients.set(client, state);
    }
    const mine = state;
    const canStartNow =
      this.running < this.concurrency &&
      mine.running < this.perClientConcurrency &&
      mine.waiting.length === 0;
    if (canStartNow) return this.start(mine, task);
    if (mine.waiting.length >= this.perClientQueued) {
      const retry = this.retryHint(mine.waiting.length, this.perClientConcurrency);
      return Promise.reject(
        new BusyError(
          `This client already has ${mine.waiting.length} runs waiting, the most one client may queue. Nothing ran; wait for them to finish, then retry in about ${retry} ms.`,
          retry,
        ),
      );
    }
    // A full queue makes room for a client that has used less run time than the heaviest waiting
    // one, by refusing that one's newest run; otherwise the newcomer is refused.
    if (this.queued >= this.maxQueued && !this.evictHeavierThan(mine)) {
      this.forgetIfIdle(mine);
      const retry = this.retryHint(this.queued, this.concurrency);
      return Promise.reject(
        new BusyError(
          `The gateway is busy: ${this.queued} runs are waiting, the most it queues. Nothing ran; retry in about ${retry} ms.`,
          retry,
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const at = mine.waiting.indexOf(entry);
        if (at < 0) return;
        mine.waiting.splice(at, 1);
        this.queued--;
        if (mine.waiting.length === 0) this.leaveTurns(mine);
        this.forgetIfIdle(mine);
        reject(new QueuedRunAbortedError());
      };
      const entry: Waiting = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          this.start(mine, task).then(resolve, reject);
        },
        refuse: (err) => {
          signal?.removeEventListener("abort", onAbort);
          reject(err);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      if (mine.waiting.length === 0) this.turns.push(mine);
      mine.waiting.push(entry);
      this.queued++;
    });
  }

  private async start<T>(state: ClientState, task: () => Promise<T>): Promise<T> {
    state.running++;
    this.running++;
    const started = this.now();
    try {
      return await task();
    } finally {
      const took = Math.max(0, this.now() - started);
      state.used = this.usage(state) + took;
      state.usedAt = this.now();
      this.averageRunMs = 0.8 * this.averageRunMs + 0.2 * took;
      state.running--;
      this.running--;
      this.forgetIfIdle(state);
      this.dispatch();
    }
  }

  /** Starts waiting runs while slots are free: least run time used first, ties in turn order. */
  private dispatch(): void {
    while (this.running < this.concurrency) {
      let at = -1;
      let best = Number.POSITIVE_INFINITY;
      this.turns.forEach((c, i) => {
        const used = this.usage(c);
        if (c.running < this.perClientConcurrency && used < best) {
          best = used;
          at = i;
        }
      });
      if (at < 0) return;
      const [state] = this.turns.splice(at, 1) as [ClientState];
      const next = state.waiting.shift() as Waiting;
      this.queued--;
      // Back of the line: among equal use, every other waiting client starts before this one's next run.
      if (state.waiting.length > 0) this.turns.push(state);
      next.start();
    }
  }

  /**
   * Refuses the newest waiting run of the waiting client that has used the most run time, when
   * that is more than `newcomer` has; returns whether a place was freed.
   */
  private evictHeavierThan(newcomer: ClientState): boolean {
    const effective = (c: ClientState) => this.usage(c);
    let heaviest: ClientState | undefined;
    for (const c of this.turns)
      if (c !== newcomer && (!heaviest || effective(c) > effective(heaviest))) heaviest = c;
    if (!heaviest || effective(heaviest) <= effective(newcomer)) return false;
    const evicted = heaviest.waiting.pop() as Waiting;
    this.queued--;
    if (heaviest.waiting.length === 0) this.leaveTurns(heaviest);
    this.forgetIfIdle(heaviest);
    const retry = this.retryHint(this.queued, this.concurrency);
    evicted.refuse(
      new BusyError(
        `The gateway is busy and this client has used more run time than others waiting, so its run gave way. Nothing ran; retry in about ${retry} ms.`,
        retry,
      ),
    );
    return true;
  }

  private leaveTurns(state: ClientState): void {
    const at = this.turns.indexOf(state);
    if (at >= 0) this.turns.splice(at, 1);
  }

  /**
   * Drops an idle client once its use has faded below a millisecond (it would start from nothing
   * anyway); heavier idle clients are remembered, up to a bound.
   */
  private forgetIfIdle(state: ClientState): void {
    if (state.running > 0 || state.waiting.length > 0) return;
    if (this.usage(state) < 1) {
      this.clients.delete(state.key);
      return;
    }
    if (this.clients.size > MAX_REMEMBERED) {
      for (const [key, other] of this.clients) {
        if (this.clients.size <= MAX_REMEMBERED) break;
        if (other.running === 0 && other.waiting.length === 0) this.clients.delete(key);
      }
    }
  }

  /** The client's run time used, faded to now. */
  private usage(state: ClientState): number {
    return state.used * 2 ** (-(this.now() - state.usedAt) / this.halfLifeMs);
  }

  /** About how long until `ahead` waiting runs drain through `lanes` slots. */
  private retryHint(ahead: number, lanes: number): number {
    const ms = Math.ceil((ahead + 1) / lanes) * this.averageRunMs;
    return Math.round(Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, ms)));
  }
}

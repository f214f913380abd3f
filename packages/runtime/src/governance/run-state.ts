import type { AuditRecord } from "./audit/record.js";
import type { PlanEntry } from "./dry-run/plan.js";
import { RunBudget } from "./policy/budget.js";
import type { ResolvedBudgets } from "./policy/evaluate.js";

/** What governance remembers about one run. */
export interface RunState {
  budget: RunBudget;
  plan: PlanEntry[];
  records: AuditRecord[];
  /** Preflight's "this program may write: ..." for the run, shown to approvers. */
  summary?: string;
}

/** How many runs' state is kept, per kind. */
export interface RunStateLimits {
  /** Finished runs kept for `endRun`/`planFor`/`recordsFor` after they ended on their own. Default 256. */
  ended?: number;
  /** Preflight summaries of runs that have not made a call yet. Default 1000. */
  prepared?: number;
}

/**
 * Per-run state keyed by run id, living exactly as long as the run (docs/security.md, "Run state").
 *
 * A run is *running* from its first call until its run signal (`ToolCall.signal`, which code mode
 * aborts when `execute` returns, whatever the outcome) aborts, or until the host calls `end`.
 * A running run's state is never evicted, however many other runs start and end meanwhile, so
 * its budgets cannot reset. When the run ends its state moves to a bounded list of ended runs
 * (the oldest forgotten first), kept so the host can still read its plan and records; a call
 * that arrives again under an ended run's id resumes that state, budgets and all. Preflight
 * summaries of runs that never call a tool (refused, crashed, read nothing) sit in a second
 * bounded list. So memory for finished runs is bounded on every surface without any surface
 * having to remember to end its runs.
 *
 * Not bounded: runs whose signal never aborts and that nobody ends. Code mode always aborts
 * it; only a host that calls the middleware directly with such a signal must call `end`.
 */
export class RunStates {
  private readonly running = new Map<string, RunState>();
  private readonly ended = new Map<string, RunState>();
  private readonly prepared = new Map<string, string | undefined>();
  private readonly endedCap: number;
  private readonly preparedCap: number;
  /** Which states already end when a signal aborts. */
  private readonly watched = new WeakMap<AbortSignal, WeakSet<RunState>>();
  /** How many of a state's watched signals have not aborted yet. */
  private readonly live = new WeakMap<RunState, number>();

  constructor(
    private readonly budgets: ResolvedBudgets,
    limits: RunStateLimits = {},
  ) {
    this.endedCap = limits.ended ?? 256;
    this.preparedCap = limits.prepared ?? 1000;
  }

  /** Remembers preflight's summary for a run that is about to start. */
  prepare(runId: string, summary: string | undefined): void {
    const state = this.running.get(runId) ?? this.ended.get(runId);
    if (state) {
      state.summary = summary;
      return;
    }
    this.prepared.delete(runId);
    this.prepared.set(runId, summary);
    evictOldest(this.prepared, this.preparedCap);
  }

  /**
   * The state of the run a call belongs to: created on the run's first call, resumed when the
   * run had ended. The run counts as running until `signal` aborts.
   */
  forCall(runId: string, signal?: AbortSignal): RunState {
    let state = this.running.get(runId);
    if (!state) {
      state = this.ended.get(runId);
      this.ended.delete(runId);
      if (!state) {
        state = { budget: new RunBudget(this.budgets), plan: [], records: [] };
        if (this.prepared.has(runId)) {
          state.summary = this.prepared.get(runId);
          this.prepared.delete(runId);
        }
      }
      this.running.set(runId, state);
    }
    if (signal && !signal.aborted) this.watch(runId, state, signal);
    // A call that arrives after its run's signal aborted (a straggler) must not revive it for good.
    else if (signal && !this.live.get(state)) this.finish(runId, state);
    return state;
  }

  /** A run's state (running or ended) without creating one. */
  peek(runId: string): RunState | undefined {
    return this.running.get(runId) ?? this.ended.get(runId);
  }

  /** Returns and forgets a run's state, whether it is still running or ended. */
  take(runId: string): RunState | undefined {
    const state = this.running.get(runId) ?? this.ended.get(runId);
    this.running.delete(runId);
    this.ended.delete(runId);
    this.prepared.delete(runId);
    return state;
  }

  /** How many runs are held, by kind (for tests and health checks). */
  counts(): { running: number; ended: number; prepared: number } {
    return { running: this.running.size, ended: this.ended.size, prepared: this.prepared.size };
  }

  private watch(runId: string, state: RunState, signal: AbortSignal): void {
    let states = this.watched.get(signal);
    if (!states) {
      states = new WeakSet();
      this.watched.set(signal, states);
    }
    if (states.has(state)) return;
    states.add(state);
    this.live.set(state, (this.live.get(state) ?? 0) + 1);
    signal.addEventListener(
      "abort",
      () => {
        const left = (this.live.get(state) ?? 1) - 1;
        this.live.set(state, left);
        if (left === 0) this.finish(runId, state);
      },
      { once: true },
    );
  }

  private finish(runId: string, state: RunState): void {
    // Only this state: the host may have taken it, and a new run may have reused the id.
    if (this.running.get(runId) !== state) return;
    this.running.delete(runId);
    this.ended.set(runId, state);
    evictOldest(this.ended, this.endedCap);
  }
}

function evictOldest<K, V>(map: Map<K, V>, cap: number): void {
  while (map.size > cap) map.delete(map.keys().next().value as K);
}

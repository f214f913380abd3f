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

/**
 * Per-run state keyed by run id. A server governs many runs, so the map is bounded: the oldest
 * runs are forgotten past `capacity` (their budgets cannot be reached again in practice, since a
 * run's calls arrive while it executes).
 */
export class RunStates {
  private readonly runs = new Map<string, RunState>();
  constructor(
    private readonly budgets: ResolvedBudgets,
    private readonly capacity = 1000,
  ) {}

  get(runId: string): RunState {
    let state = this.runs.get(runId);
    if (!state) {
      state = { budget: new RunBudget(this.budgets), plan: [], records: [] };
      this.runs.set(runId, state);
      if (this.runs.size > this.capacity) this.runs.delete(this.runs.keys().next().value!);
    }
    return state;
  }

  /** Returns and forgets a run's state. */
  take(runId: string): RunState | undefined {
    const state = this.runs.get(runId);
    this.runs.delete(runId);
    return state;
  }
}

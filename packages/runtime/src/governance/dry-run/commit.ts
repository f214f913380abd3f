import { createGovernance, type Governance, type GovernanceOptions } from "../create-governance.js";
import type { DryRunPlan } from "./plan.js";

/** The outcome of `dryRunThenCommit`. */
export interface DryRunThenCommitResult<R> {
  /** The writes the dry-run collected, ordered by position. */
  plan: DryRunPlan;
  /** What the program returned when its writes were simulated. */
  dryRunResult: R;
  /** True when the plan was approved and the program ran again for real. */
  committed: boolean;
  /** The committed run's result (absent when not committed). */
  result?: R;
}

/**
 * Runs a program twice under one run id: first with writes simulated (packs report what would
 * change, nothing is touched), then, only if `approvePlan` accepts the collected plan, for real
 * with the plan enforced: the same writes carry the same idempotency keys and are pre-approved,
 * and any write the plan does not contain is refused with `PLAN_DIVERGED`. A program with no
 * writes is not run a second time. `run` executes the program with the given governance (e.g.
 * `createCodeMode({ ..., middleware: [g.middleware], preflight: g.preflight, runId })`).
 */
export async function dryRunThenCommit<R>(options: {
  governance?: Omit<GovernanceOptions, "dryRun" | "plan">;
  runId: string;
  run: (governance: Governance, runId: string) => Promise<R>;
  approvePlan: (plan: DryRunPlan) => Promise<boolean> | boolean;
}): Promise<DryRunThenCommitResult<R>> {
  const dry = createGovernance({ ...options.governance, dryRun: true });
  const dryRunResult = await options.run(dry, options.runId);
  const { plan } = await dry.endRun(options.runId);
  if (plan.entries.length === 0 || !(await options.approvePlan(plan))) {
    return { plan, dryRunResult, committed: false };
  }
  const commit = createGovernance({ ...options.governance, plan });
  try {
    const result = await options.run(commit, options.runId);
    return { plan, dryRunResult, committed: true, result };
  } finally {
    await commit.endRun(options.runId);
  }
}

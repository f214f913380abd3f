import type { DryRunPlan, PlanEntry } from "./plan.js";

/** What a committed write is matched on: where it sits in the run and its canonical call. */
export interface PlannedCall {
  runId: string;
  position: number;
  server: string;
  tool: string;
  /** Digest of the canonical arguments (`argsDigest`). */
  argsDigest: string;
  idempotencyKey: string;
}

/**
 * Matches a committed write against the approved plan on the canonical call: same run id, an
 * entry at the same position, the same server and tool, the same canonical-arguments digest and
 * the same idempotency key. Returns why it does not match (for `PLAN_DIVERGED`), or `undefined`.
 */
export function planDivergence(
  plan: DryRunPlan,
  byPosition: ReadonlyMap<number, PlanEntry>,
  call: PlannedCall,
) {
  if (call.runId !== plan.runId) return `the plan is for run ${plan.runId}, this is run ${call.runId}`;
  const entry = byPosition.get(call.position);
  if (!entry) return `the plan has no write at position ${call.position}`;
  if (entry.server !== call.server || entry.tool !== call.tool) {
    return `the plan's write at position ${call.position} is ${entry.server}.${entry.tool}`;
  }
  if (entry.argsDigest !== call.argsDigest) {
    return `its arguments differ from the approved ones (digest ${call.argsDigest.slice(0, 12)}…, approved ${entry.argsDigest.slice(0, 12)}…)`;
  }
  if (entry.idempotencyKey !== call.idempotencyKey)
    return "its idempotency key differs from the approved one";
  return undefined;
}

/** The plan's entries by position (a plan holds one write per position). */
export function entriesByPosition(plan: DryRunPlan): Map<number, PlanEntry> {
  return new Map(plan.entries.map((e) => [e.position, e]));
}

/**
 * The runtime's `ContinuationStore` over Durable Objects: each run's continuation lives in its
 * own `RunObject` (named by the run id), so whichever isolate serves a later request reaches the
 * same run. Listing reads the D1 index the objects keep (`app_durable_runs`).
 */
import type { ContinuationStore } from "@toolpacks/runtime";
import type { Env } from "../env.js";
import { listIndexedRuns, type RunOwner } from "./approval-index.js";

/** The `RunObject` stub of `runId`. */
export function runObject(env: Pick<Env, "RUNS">, runId: string) {
  return env.RUNS.get(env.RUNS.idFromName(runId));
}

/** A continuation store whose runs belong to `owner` (recorded with each run for its resume). */
export function runObjectStore(env: Pick<Env, "RUNS" | "DB">, owner: RunOwner): ContinuationStore {
  return {
    save: (record) => runObject(env, record.runId).saveContinuation(record, owner),
    load: async (runId) => (await runObject(env, runId).loadContinuation()) ?? undefined,
    list: () => listIndexedRuns(env.DB),
  };
}

// Durable runs (suspend/resume) that run anywhere; the SQLite store is Node-only (`../node.ts`).
export type { Continuation, Decision, LedgerEntry, PendingCall, StoredContinuation } from "./continuation.js";
export { type Determinism, determinismPrologue } from "./determinism.js";
export {
  createDurableRuns,
  DEFAULT_CONTINUATION_MAX_AGE_MS,
  type Decisions,
  type DurableExecuteOptions,
  type DurableOutcome,
  type DurableRunSummary,
  type DurableRuns,
  type DurableRunsOptions,
  type FinishedRun,
  type SuspendedRun,
} from "./durable-runs.js";
export { DurableRunError, type DurableRunErrorCode } from "./errors.js";
export { type ContinuationKeys, createKeyring, type Keyring, MIN_KEY_BYTES } from "./keyring.js";
export { type ContinuationStore, type LeasedContinuationStore, memoryContinuationStore } from "./store.js";

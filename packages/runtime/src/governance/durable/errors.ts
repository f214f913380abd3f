/**
 * Why a durable run could not be suspended, decided or resumed. Each has a stable `code`; the
 * message says what failed, why, and what to do instead. A divergence found while replaying is
 * the governance `PlanDivergedError` (`PLAN_DIVERGED`).
 */

/** Stable codes of every durable-run refusal. */
export type DurableRunErrorCode =
  /** No continuation is stored under this run id. */
  | "RUN_NOT_FOUND"
  /** The run already finished; a continuation is resumed at most until its run ends. */
  | "RUN_FINISHED"
  /** The stored continuation's signature does not verify (tampered, or signed with an unknown key). */
  | "CONTINUATION_INVALID"
  /** The continuation is older than the maximum age. */
  | "CONTINUATION_EXPIRED"
  /** The program to resume is not the program that was suspended. */
  | "PROGRAM_CHANGED"
  /** The tools (names, schemas, annotations, `_meta`) differ from those the run started with. */
  | "MANIFEST_CHANGED"
  /** The policy, principal or role differ from those the run started with. */
  | "POLICY_CHANGED"
  /** Another resume or decision of this run holds its lease right now (see `ContinuationStore.claim`). */
  | "RUN_BUSY"
  /** A decision names a call that is not pending, or is not a yes/no. */
  | "DECISION_INVALID"
  /** Durable runs were configured in a way that cannot work (no keys, a short key, ...). */
  | "DURABLE_USAGE";

/** A refusal of the durable-run layer; nothing was sent to any server because of it. */
export class DurableRunError extends Error {
  readonly code: DurableRunErrorCode;
  constructor(code: DurableRunErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DurableRunError";
    this.code = code;
  }
}

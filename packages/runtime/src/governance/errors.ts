/**
 * Errors raised by the governance layer. Each has a stable `code` the program can branch on
 * (`catch (e) { if (e.code === "POLICY_DENIED") ... }`) and a message that says what failed,
 * why, and how to fix it.
 */

/** Stable codes of every governance error. */
export type GovernanceErrorCode =
  | "POLICY_DENIED"
  | "APPROVAL_REJECTED"
  | "APPROVAL_DEFERRED"
  | "BUDGET_EXCEEDED"
  | "PREFLIGHT_REFUSED"
  | "PLAN_DIVERGED"
  | "DRY_RUN_UNSUPPORTED"
  | "POLICY_INVALID"
  | "INVALID_ARGUMENTS"
  | "GOVERNANCE_USAGE"
  | "AUDIT_UNAVAILABLE";

/** Base class of every governance error. */
export class GovernanceError extends Error {
  readonly code: GovernanceErrorCode;
  constructor(code: GovernanceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The policy refuses this tool for this principal or role; nothing was sent to the server. */
export class PolicyDeniedError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("POLICY_DENIED", message, options);
  }
}

/** An approver said no, or did not answer in time; nothing was sent to the server. */
export class ApprovalRejectedError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("APPROVAL_REJECTED", message, options);
  }
}

/**
 * The decision on this call was postponed: the run suspended (durable runs) and resumes once a
 * human decides. Nothing was sent; the program never sees it on the attempt that resumes.
 */
export class ApprovalDeferredError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("APPROVAL_DEFERRED", message, options);
  }
}

/** A per-run budget (writes, calls per tool, money) would be exceeded by this call. */
export class BudgetExceededError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("BUDGET_EXCEEDED", message, options);
  }
}

/** A committed run issued a write that is not in the approved dry-run plan. */
export class PlanDivergedError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("PLAN_DIVERGED", message, options);
  }
}

/** Dry-run reached a write tool whose server does not declare the toolpacks dry-run `_meta`. */
export class DryRunUnsupportedError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("DRY_RUN_UNSUPPORTED", message, options);
  }
}

/** A policy file or object does not match the policy schema. */
export class PolicyInvalidError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("POLICY_INVALID", message, options);
  }
}

/** Governance was configured or called in a way that cannot work (bad flag, bad option). */
export class GovernanceUsageError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("GOVERNANCE_USAGE", message, options);
  }
}

/** A call's arguments cannot be digested or sent (e.g. they contain a cycle); nothing was sent. */
export class InvalidArgumentsError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INVALID_ARGUMENTS", message, options);
  }
}

/**
 * The audit sink could not durably record a call before it was sent, so the call was NOT sent
 * (fail closed). Retrying is safe: nothing reached the server. Fix the sink (disk full, database
 * unreachable) and run again.
 */
export class AuditUnavailableError extends GovernanceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("AUDIT_UNAVAILABLE", message, options);
  }
}

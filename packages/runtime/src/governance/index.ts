// Public surface of governance that runs anywhere (Node, Workers, browsers): no node: imports.
export {
  type ApprovalAnswer,
  type ApprovalRequest,
  type Approver,
  approveAll,
  rejectAll,
} from "./approvals/approver.js";
export { describeRequest } from "./approvals/describe.js";
export { type ElicitingServer, elicitationApprover } from "./approvals/elicitation.js";
export { ApprovalStateError, type ApprovalStateErrorCode } from "./approvals/state-errors.js";
export {
  type ApprovalStateClaims,
  ApprovalStateCodec,
  type ApprovalStateCodecOptions,
  type ApprovalStateKey,
  approvalKeysFromEnv,
} from "./approvals/state-token.js";
export type { AuditFailure } from "./audit/call-audit.js";
export { AUDIT_TABLE_SQL, type D1Like, d1AuditSink } from "./audit/d1-sink.js";
export {
  type AuditDecision,
  type AuditPhase,
  type AuditRecord,
  AuditRecordSchema,
  type AuditSink,
  fanOutSink,
  MemoryAuditSink,
} from "./audit/record.js";
export { createGovernance, type Governance, type GovernanceOptions } from "./create-governance.js";
export { type DryRunThenCommitResult, dryRunThenCommit } from "./dry-run/commit.js";
export { type DryRunPlan, DryRunPlanSchema, type PlanEntry } from "./dry-run/plan.js";
export {
  ApprovalDeferredError,
  ApprovalRejectedError,
  AuditUnavailableError,
  BudgetExceededError,
  DryRunUnsupportedError,
  GovernanceError,
  type GovernanceErrorCode,
  GovernanceUsageError,
  InvalidArgumentsError,
  PlanDivergedError,
  PolicyDeniedError,
  PolicyInvalidError,
} from "./errors.js";
export { canonicalJson } from "./idempotency/canonical.js";
export { argsDigest, sha256Hex } from "./idempotency/digest.js";
export { idempotencyKey } from "./idempotency/key.js";
export { classifyTool, type ToolClass } from "./policy/classify.js";
export { parsePolicy, parsePolicyJson } from "./policy/load.js";
export { type Policy, type PolicyInput, PolicySchema } from "./policy/schema.js";
export { findReferences } from "./preflight/references.js";
export {
  createRedactor,
  MIN_SECRET_LENGTH,
  type RedactionOptions,
  type Redactor,
} from "./redaction/redactor.js";
export { META, type PreflightReport } from "./types.js";

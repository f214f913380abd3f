export {
  CodeMode,
  type CodeModeDeclarationsOptions,
  type CodeModeOptions,
  createCodeMode,
  DEFAULT_LIMITS,
  type ExecuteError,
  type ExecuteOptions,
  type ExecuteResult,
  type SearchOptions,
  type SourceStatusInfo,
} from "./code-mode.js";
export {
  type CanonicalArgs,
  CanonicalArgsError,
  type CanonicalJson,
  canonicalizeArgs,
  canonicalText,
} from "./codec/canonical-call.js";
export { type JsonValue, toJsonValue } from "./codec/json.js";
export { CodecError, decode, encode } from "./codec/wire.js";
export {
  ConfigError,
  type ErrorCode,
  ErrorCodes,
  ProgramError,
  ServerUnavailableError,
  ToolCallError,
  ToolpacksError,
} from "./errors.js";
export { RunGuard } from "./executors/guard.js";
export { PRELUDE_SOURCE } from "./executors/prelude.js";
export {
  createQuickJSExecutor,
  QuickJSExecutor,
  type QuickJSExecutorOptions,
} from "./executors/quickjs/executor.js";
export type {
  Executor,
  LogEntry,
  LogLevel,
  RefusedCallListener,
  SandboxLimits,
  SandboxRequest,
  SandboxResponse,
} from "./executors/types.js";
export {
  type Continuation,
  type ContinuationKeys,
  type ContinuationStore,
  createDurableRuns,
  DEFAULT_CONTINUATION_MAX_AGE_MS,
  type Decision,
  type Decisions,
  type DurableExecuteOptions,
  type DurableOutcome,
  DurableRunError,
  type DurableRunErrorCode,
  type DurableRunSummary,
  type DurableRuns,
  type DurableRunsOptions,
  type FinishedRun,
  type LeasedContinuationStore,
  type LedgerEntry,
  memoryContinuationStore,
  type PendingCall,
  type StoredContinuation,
  type SuspendedRun,
} from "./governance/durable/index.js";
export {
  type ApprovalAnswer,
  ApprovalDeferredError,
  ApprovalRejectedError,
  type ApprovalRequest,
  ApprovalStateCodec,
  ApprovalStateError,
  type ApprovalStateErrorCode,
  type ApprovalStateKey,
  type Approver,
  AUDIT_TABLE_SQL,
  type AuditDecision,
  type AuditFailure,
  type AuditPhase,
  type AuditRecord,
  AuditRecordSchema,
  type AuditSink,
  AuditUnavailableError,
  approvalKeysFromEnv,
  approveAll,
  BudgetExceededError,
  createGovernance,
  createRedactor,
  type D1Like,
  type DryRunPlan,
  DryRunPlanSchema,
  type DryRunThenCommitResult,
  DryRunUnsupportedError,
  d1AuditSink,
  describeRequest,
  dryRunThenCommit,
  type ElicitingServer,
  elicitationApprover,
  fanOutSink,
  type Governance,
  GovernanceError,
  type GovernanceErrorCode,
  type GovernanceOptions,
  GovernanceUsageError,
  InvalidArgumentsError,
  idempotencyKey,
  META,
  MemoryAuditSink,
  MIN_SECRET_LENGTH,
  PlanDivergedError,
  type PlanEntry,
  type Policy,
  PolicyDeniedError,
  type PolicyInput,
  PolicyInvalidError,
  PolicySchema,
  type PreflightReport,
  parsePolicy,
  parsePolicyJson,
  type RedactionOptions,
  type Redactor,
  rejectAll,
} from "./governance/index.js";
export {
  defaultIntake,
  HostIntake,
  type IntakeBounds,
  type IntakeOutcome,
  IntakeStopped,
  type ProgramIntake,
} from "./intake/intake.js";
export { extractCode, type PreparedProgram, prepareProgram } from "./intake/prepare.js";
export { ThreadIntake, type ThreadIntakeOptions } from "./intake/thread-intake.js";
export { assignIdentifiers } from "./naming/assign.js";
export { RESERVED_GLOBALS, RESERVED_WORDS, toIdentifier } from "./naming/identifier.js";
export { type CallRecord, composeMiddleware } from "./pipeline/bridge.js";
export type {
  Preflight,
  PreflightVerdict,
  ProgramInfo,
  RefusedCall,
  ToolCall,
  ToolCallMiddleware,
  ToolInfo,
  ToolReference,
  ToolResult,
} from "./pipeline/types.js";
export { type CutResult, cutResult, type Truncation } from "./result/cut.js";
export { type ResultForm, resultForModel, resultToJson } from "./result/for-model.js";
export { type RunWarning, TrimmedAnswers } from "./result/trimmed-answers.js";
export { type ListedTool, McpSource, resultValue } from "./sources/mcp-source.js";
export type { JsonSchemaValidator } from "./sources/schema-validator.js";
export type {
  HttpSource,
  InProcessSource,
  SourceConfig,
  StdioSource,
  TransportSource,
} from "./sources/types.js";
export { createGatewayServer, EXECUTE_GUIDE, type GatewayOptions } from "./surfaces/gateway.js";
export {
  type ApprovalRunEvent,
  GatewayApprovals,
  type GatewayApprovalsOptions,
  type PendingApproval,
} from "./surfaces/gateway-approvals.js";
export {
  type DeclarationsOptions,
  renderDeclarations,
  SANDBOX_GLOBALS_DTS,
} from "./typegen/declarations.js";
export type { DeclarationDetail } from "./typegen/docs.js";
export type { SearchHit } from "./typegen/search.js";

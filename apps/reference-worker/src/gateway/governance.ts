/**
 * Governance (policy, preflight, approvals, audit) from @toolpacks/runtime. The runtime does not
 * export it from a public entry yet, so this one module reaches into the workspace source; when
 * it does, only this import changes.
 */
export {
  type ApprovalRequest,
  type Approver,
  AUDIT_TABLE_SQL,
  createGovernance,
  d1AuditSink,
  type Governance,
  type PolicyInput,
} from "../../../../packages/runtime/src/governance/index.js";

/** Governance (policy, preflight, approvals, audit) from @toolpacks/runtime, as the app uses it. */
export {
  type ApprovalRequest,
  type Approver,
  AUDIT_TABLE_SQL,
  createGovernance,
  d1AuditSink,
  describeRequest,
  type Governance,
  type PolicyInput,
} from "@toolpacks/runtime";

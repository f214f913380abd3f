// Node-only governance pieces (file system, terminal); exported from `@toolpacks/runtime/node`.
export { type TtyApproverOptions, ttyApprover, ttyConfirm } from "./approvals/tty.js";
export { jsonlAuditSink } from "./audit/jsonl-sink.js";
export {
  extractGovernanceFlags,
  GOVERNANCE_FLAGS_HELP,
  type GovernanceFlags,
  governanceOptionsFromFlags,
  type RequestAsker,
  runGoverned,
  serveGovernance,
  switchableGovernance,
} from "./cli-options.js";

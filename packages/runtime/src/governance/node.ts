// Node-only governance pieces (file system, terminal); exported from `@toolpacks/runtime/node`.
export { type TtyApproverOptions, ttyApprover, ttyConfirm } from "./approvals/tty.js";
export { jsonlAuditSink } from "./audit/jsonl-sink.js";
export {
  extractGovernanceFlags,
  GOVERNANCE_FLAGS_HELP,
  type GovernanceFlags,
  governanceOptionsFromFlags,
} from "./cli-options.js";
export { type RequestAsker, runGoverned, serveGovernance, switchableGovernance } from "./cli-run.js";

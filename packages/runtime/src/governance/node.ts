// Node-only governance pieces (file system, terminal); exported from `@toolpacks/runtime/node`.
export { type TtyApproverOptions, ttyApprover } from "./approvals/tty.js";
export { jsonlAuditSink } from "./audit/jsonl-sink.js";

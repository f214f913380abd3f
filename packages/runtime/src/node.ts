// Node-only surface of @toolpacks/runtime: the CLI and the gateway's stdio/HTTP serving.
export { main as runCli } from "./cli/main.js";
export {
  createQuickJSThreadExecutor,
  QuickJSThreadExecutor,
  type QuickJSThreadExecutorOptions,
} from "./executors/quickjs-thread/executor.js";
export { CONTINUATIONS_FILE, sqliteContinuationStore } from "./governance/durable/sqlite-store.js";
export {
  extractGovernanceFlags,
  GOVERNANCE_FLAGS_HELP,
  type GovernanceFlags,
  governanceOptionsFromFlags,
  jsonlAuditSink,
  type RequestAsker,
  runGoverned,
  serveGovernance,
  switchableGovernance,
  type TtyApproverOptions,
  ttyApprover,
  ttyConfirm,
} from "./governance/node.js";
export {
  createLoopbackOAuth,
  type LoopbackOAuthOptions,
  type LoopbackOAuthProvider,
  OAuthSignInError,
} from "./sources/oauth/loopback-oauth.js";
export {
  fileOAuthStore,
  memoryOAuthStore,
  OAUTH_FILE,
  type OAuthRecord,
  type OAuthStore,
} from "./sources/oauth/oauth-store.js";
export { type EventStoreLimits, SessionEventStore } from "./surfaces/gateway-http-event-store.js";
export {
  type GatewayHttpOptions,
  type GatewayStdioOptions,
  gatewayApprovals,
  serveGatewayHttp,
  serveGatewayStdio,
  stdioRunQueue,
} from "./surfaces/gateway-node.js";
export { type HttpServeOptions, type HttpServing, serveMcpOverHttp } from "./surfaces/http.js";
export type { LegacySessionsOptions } from "./surfaces/http-sessions.js";

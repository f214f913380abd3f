// API sync and write-back: keeps a pack's tables current from a system of record's API.
export { SyncError } from "./errors.js";
export { type RetryOptions, retryAfterMs, retryingFetch } from "./http.js";
export {
  AttemptTimeoutError,
  type CallFailure,
  type RetryCallOptions,
  retryAfterHeaderMs,
  retryingCall,
} from "./retry-call.js";
export {
  formatSyncReport,
  type RunSyncOptions,
  runSync,
  type SyncReport,
  type TableSyncReport,
} from "./run-sync.js";
export { ensureSyncTables, readCursors, readSyncRuns, SYNC_TABLES, type SyncRunState } from "./state.js";
export { syncStatusTool } from "./status-tool.js";
export type { SourceWrite, SyncPage, SyncRequest, SyncSource, SyncSourceSpec } from "./types.js";
export { baseUrlKey, type WriteBack, writeBackFor } from "./write-back.js";

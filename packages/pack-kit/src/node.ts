// Node-only surface of @toolpacks/pack-kit: SQLite on node:sqlite, Postgres over pg, stdio and HTTP serving, the CLI.

// Option types shared with the root entry, re-exported so declarations resolve from this entry alone.
export type { HttpAuthOptions, OAuthResourceOptions, VerifiedToken } from "./http/auth.js";
export type { HostOriginPolicy } from "./http/host-origin.js";
export {
  CliUsageError,
  type PackCliDefaults,
  type PackCliOptions,
  packCliUsage,
  parsePackCliArgs,
} from "./node/cli-args.js";
export {
  type IdentityOptions,
  identityInSqlite,
  identityUsage,
  parseIdentityArgs,
  runIdentityCommand,
} from "./node/identity-command.js";
export {
  EXIT_REJECTED_ROWS,
  type ImportCommandIo,
  importIntoSqlite,
  importUsage,
  type PackImportOptions,
  parseImportArgs,
  readSourceFile,
  runImportCommand,
} from "./node/import-command.js";
export { loadPacks, type OpenedPacks, type OpenPacksOptions, openPacks } from "./node/open-packs.js";
export { isPostgresUrl, openStore } from "./node/open-store.js";
export {
  openPostgresStore,
  type PostgresStoreOptions,
  postgresError,
  withPostgresTransaction,
} from "./node/postgres-store.js";
export { type PackCliIo, type RunningPackCli, runPackCli } from "./node/run-pack-cli.js";
export {
  isLoopbackHost,
  type RunningHttpServer,
  type ServeHttpOptions,
  servePackHttp,
} from "./node/serve-http.js";
export { servePackStdio } from "./node/serve-stdio.js";
export { openSqliteStore, type SqliteStoreOptions } from "./node/sqlite-store.js";
export {
  type PackSyncOptions,
  parseSyncArgs,
  runSyncCommand,
  type SyncCommandIo,
  syncUsage,
} from "./node/sync-command.js";

// Node-only surface of @toolpacks/pack-kit: SQLite on node:sqlite, stdio and HTTP serving, the CLI.
export {
  CliUsageError,
  type PackCliDefaults,
  type PackCliOptions,
  packCliUsage,
  parsePackCliArgs,
} from "./node/cli-args.js";
export { type OpenedPacks, type OpenPacksOptions, openPacks } from "./node/open-packs.js";
export { type PackCliIo, type RunningPackCli, runPackCli } from "./node/run-pack-cli.js";
export {
  isLoopbackHost,
  type RunningHttpServer,
  type ServeHttpOptions,
  servePackHttp,
} from "./node/serve-http.js";
export { servePackStdio } from "./node/serve-stdio.js";
export { openSqliteStore, type SqliteStoreOptions } from "./node/sqlite-store.js";

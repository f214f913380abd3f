// Node-only surface of @toolpacks/pack-kit: SQLite on node:sqlite, stdio and HTTP serving, the CLI.
export { openSqliteStore, type SqliteStoreOptions } from "./node/sqlite-store.js";

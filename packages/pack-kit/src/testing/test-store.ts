import { PackKitError } from "../errors.js";
import { openSqliteStore } from "../node/sqlite-store.js";
import type { SqlDialect, Store } from "../store/types.js";
import { openPostgresTestStore } from "./postgres-test-store.js";

/**
 * The store a test suite runs on: `TOOLPACKS_TEST_STORE=postgres` (set by a pack's
 * `vitest.postgres.config.ts` project) runs the same suite on Postgres, anything else on SQLite.
 */
export function testStoreDialect(): SqlDialect {
  const wanted = process.env["TOOLPACKS_TEST_STORE"];
  if (wanted === undefined || wanted === "" || wanted === "sqlite") return "sqlite";
  if (wanted === "postgres") return "postgres";
  throw new PackKitError(
    "invalid_test_store",
    `TOOLPACKS_TEST_STORE is ${JSON.stringify(wanted)}; use "sqlite" (default) or "postgres".`,
  );
}

/**
 * A fresh, empty store of the suite's dialect (`testStoreDialect`): SQLite in memory, or a new
 * database on the shared test Postgres server, dropped again by `close`.
 */
export async function openTestStore(): Promise<Store> {
  return testStoreDialect() === "postgres" ? openPostgresTestStore() : openSqliteStore(":memory:");
}

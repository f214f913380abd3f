import type { TestProject } from "vitest/node";
import { findPostgresBin, type PostgresServer, startPostgresServer } from "./postgres-server.js";

/** What the test workers learn about the shared Postgres server (see `postgresTestServer`). */
export interface PostgresTestServerInfo {
  /** Superuser connection string, when the server runs. */
  url?: string;
  /** Why there is no server, when tests must skip (never on CI). */
  skipped?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    toolpacksPostgres: PostgresTestServerInfo;
  }
}

/**
 * Vitest `globalSetup`: starts one real Postgres server for the test process (every file of the
 * project shares it; each test store gets its own database) and stops it afterwards. Without
 * Postgres binaries the tests that need it skip with the reason, except on CI (`CI` or
 * `TOOLPACKS_REQUIRE_POSTGRES` set, as `.ci/run` does), where a missing or failing Postgres fails
 * the run: nothing is skipped silently there.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  if (!findPostgresBin()) {
    const reason =
      "Postgres is not installed (no pg_ctl on PATH or in /usr/lib/postgresql/*/bin): apt-get install postgresql";
    if (process.env["CI"] || process.env["TOOLPACKS_REQUIRE_POSTGRES"])
      throw new Error(`CI needs a real Postgres for the store tests. ${reason}`);
    project.provide("toolpacksPostgres", { skipped: reason });
    return () => {};
  }
  const server: PostgresServer = await startPostgresServer();
  project.provide("toolpacksPostgres", { url: server.url });
  return () => server.stop();
}

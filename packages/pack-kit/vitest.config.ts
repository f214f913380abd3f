import { defineProject } from "vitest/config";

// The globalSetup starts one real Postgres server for the Postgres store tests (skipped with the
// reason when Postgres is not installed, except on CI).
export default defineProject({
  test: {
    name: "pack-kit",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    globalSetup: ["src/testing/postgres-global-setup.ts"],
  },
});

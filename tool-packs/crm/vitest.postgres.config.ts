import { defineProject } from "vitest/config";

// The same suite as vitest.config.ts, on Postgres: the kit's test helpers (seeded clients, the
// conformance world, the official conformance server) open their stores on a real Postgres
// server the globalSetup starts (skipped with the reason when Postgres is not installed, except
// on CI).
export default defineProject({
  test: {
    name: "crm-postgres",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    env: { TOOLPACKS_TEST_STORE: "postgres" },
    globalSetup: ["@toolpacks/pack-kit/testing/postgres-setup"],
  },
});

import { defineProject } from "vitest/config";

// The kit's own conformance suite (on its ledger fixture pack) again, on a real Postgres server:
// the conformance world's template-database copies, row digests for dry runs, the check that
// both dialects build the same schema and the one that the declared tables match it; and file
// import and API sync (shop fixture pack), which read table shapes from the store's catalogue;
// and the rollup triggers rollupMigration writes.
export default defineProject({
  test: {
    name: "pack-kit-postgres",
    include: [
      "src/testing/describe-pack-conformance.test.ts",
      "src/connect/run-import.test.ts",
      "src/sync/run-sync.test.ts",
      "src/store/rollup-migration.test.ts",
      "src/testing/tables-agree.test.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    env: { TOOLPACKS_TEST_STORE: "postgres" },
    globalSetup: ["src/testing/postgres-global-setup.ts"],
  },
});

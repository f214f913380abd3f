import { defineConfig } from "vitest/config";

// One root config; each package is a project with its own vitest.config.ts,
// so `pnpm test` at the root runs everything and `vitest --project crm` one.
export default defineConfig({
  test: {
    // vitest.postgres.config.ts: a pack's whole suite again, on a real Postgres server.
    projects: [
      "packages/*/vitest.config.ts",
      "packages/*/vitest.postgres.config.ts",
      "tool-packs/*/vitest.config.ts",
      "tool-packs/*/vitest.postgres.config.ts",
      "apps/*/vitest.config.ts",
    ],
  },
});

import { defineConfig } from "vitest/config";

// One root config; each package is a project with its own vitest.config.ts,
// so `pnpm test` at the root runs everything and `vitest --project crm` one.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "tool-packs/*/vitest.config.ts", "apps/*/vitest.config.ts"],
  },
});

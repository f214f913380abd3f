import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";

// Tests run inside workerd (the real Workers runtime) with the bindings from wrangler.jsonc,
// including the Worker Loader and D1, so the executor and the app are tested as deployed.
export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      // The smallest world: every pack store is seeded in place on first use.
      // Demo users on, as under `wrangler dev` (they are off unless DEMO_USERS=on).
      // CONTINUATION_KEYS: a test-only signing key (deployments set it as a secret).
      miniflare: {
        bindings: {
          WORLD_SCALE: "1000",
          WORLD_SEED: "42",
          DEMO_USERS: "on",
          CONTINUATION_KEYS: "test-only continuation key, 32 bytes or more",
        },
      },
    }),
  ],
  // As deployed (the `alias` in wrangler.jsonc): TypeScript and the 10 MB HubSpot client are left
  // out. Loaded into workerd the HubSpot client is one module larger than the test runner's
  // WebSocket accepts (error 1009).
  resolve: {
    alias: {
      typescript: new URL("./src/typescript-unavailable.ts", import.meta.url).pathname,
      "@hubspot/api-client": new URL("./src/hubspot-unavailable.ts", import.meta.url).pathname,
    },
  },
  test: {
    name: "reference-worker",
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // Off for this project only. With the cache on, a fresh test-file isolate asks for every module
    // an earlier file already transformed, and the Workers pool inlines all of their code into one
    // WebSocket message; once the Worker's graph grew past workerd's message limit, that message
    // failed with error 1009 and the pool worker died on the next file. Without the cache each
    // module travels in its own message.
    fsModuleCache: false,
    // Node side: drives Chromium through the run inspector once (see browser/inspector-check.ts).
    globalSetup: ["./browser/global-setup.ts", "./idp/global-setup.ts"],
  },
});

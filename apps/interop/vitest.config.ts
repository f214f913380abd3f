import { defineProject } from "vitest/config";

// Tests start public MCP servers from npm as child processes (a few seconds each on a loaded
// machine), so the timeouts are generous; none of them asserts on timing.
export default defineProject({
  test: { name: "interop", include: ["src/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
});

import { defineProject } from "vitest/config";

// Tests open real packs on in-memory worlds (seeding takes a second or two), so the timeout is
// generous; none of them asserts on timing.
export default defineProject({
  test: { name: "demo", include: ["src/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});

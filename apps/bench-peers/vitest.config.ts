import { defineProject } from "vitest/config";

// Adapter smoke tests only: one trivial program per project, no timings. Projects start child
// processes (and workerd), hence the generous timeout; the benchmark itself never runs here.
export default defineProject({
  test: { name: "bench-peers", include: ["src/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});

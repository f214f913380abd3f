import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "billing",
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 30_000,
  },
});

import { defineProject } from "vitest/config";

// examples/ holds the README's runnable example and scripts/ its measured calls; their tests keep both working.
export default defineProject({
  test: {
    name: "warehouse",
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts", "scripts/**/*.test.ts"],
    testTimeout: 30_000,
  },
});

import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "moves", include: ["src/**/*.test.ts"] },
});

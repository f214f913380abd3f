import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOSTILE_DIR, renderHostileModule } from "../scripts/gen-hostile.js";

describe("hostile programs module", () => {
  it("is in sync with hostile/programs/*.js (run `pnpm --filter @toolpacks/runtime gen:hostile`)", () => {
    expect(readFileSync(join(HOSTILE_DIR, "programs.generated.ts"), "utf8")).toBe(renderHostileModule());
  });
});

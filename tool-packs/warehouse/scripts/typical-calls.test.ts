import { measureAnswers } from "@toolpacks/pack-kit/testing";
import { getEncoding } from "js-tiktoken";
import { describe, expect, it } from "vitest";
import { pack } from "../src/pack.js";
import { TEST_WORLD } from "../src/testing/seeded-warehouse.js";
import { typicalCalls } from "./typical-calls.js";

describe("the README's typical calls", () => {
  it("cover every tool, and each answer fits its budget in real o200k tokens", async () => {
    const encoder = getEncoding("o200k_base");
    // One run each (writes as dry runs); a tool error fails the measurement, so every call answered.
    const { answers } = await measureAnswers(pack, {
      world: TEST_WORLD,
      calls: typicalCalls,
      runs: 1,
      countTokens: (text) => encoder.encode(text).length,
    });
    expect(answers.map((a) => a.tool).sort()).toEqual(pack.tools.map((t) => t.name).sort());
    for (const { tool, tokens } of answers)
      expect(tokens, tool).toBeLessThanOrEqual(pack.tool(tool)!.budgetTokens);
  });
});

import { DRY_RUN_META } from "@toolpacks/pack-kit";
import { getEncoding } from "js-tiktoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "../src/pack.js";
import { type SeededWarehouse, seededWarehouse } from "../src/testing/seeded-client.js";
import { type TypicalCall, typicalCalls } from "./typical-calls.js";

let wh: SeededWarehouse;
let calls: TypicalCall[];
beforeAll(async () => {
  wh = await seededWarehouse();
  calls = await typicalCalls(wh.store);
});
afterAll(() => wh.close());

describe("the README's typical calls", () => {
  it("cover every tool, and each answer fits its budget in real o200k tokens", async () => {
    expect(calls.map((c) => c.tool).sort()).toEqual(pack.tools.map((t) => t.name).sort());
    const encoder = getEncoding("o200k_base");
    for (const { tool, args } of calls) {
      const meta = pack.tool(tool)?.kind === "write" ? { [DRY_RUN_META]: true } : undefined;
      const result = await wh.client.call(tool, args, meta);
      const text = (result.content as Array<{ text: string }>)[0]!.text;
      expect(result.isError, `${tool}: ${text}`).toBeFalsy();
      expect(encoder.encode(text).length, tool).toBeLessThanOrEqual(pack.tool(tool)!.budgetTokens);
    }
  });
});

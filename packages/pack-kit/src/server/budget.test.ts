import { describe, expect, it } from "vitest";
import { z } from "zod";
import { estimateTokens, fitToBudget } from "./budget.js";

const schema = z.object({
  total: z.number(),
  top: z.array(z.object({ id: z.string(), note: z.string() })),
  pinned: z.array(z.string()).min(3),
});
const answer = () => ({
  total: 100,
  top: Array.from({ length: 60 }, (_, i) => ({ id: `A-${i}`, note: "n".repeat(20) })),
  pinned: ["a", "b", "c"],
});
const json = (v: Record<string, unknown>) => JSON.stringify(v);

describe("estimateTokens", () => {
  it("errs high: never below bytes / 4 and counts multi-byte characters by their bytes", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("x".repeat(280))).toBe(100);
    expect(estimateTokens("é".repeat(14))).toBe(10);
  });
});

describe("fitToBudget", () => {
  it("leaves an answer within budget untouched", () => {
    const value = answer();
    const fitted = fitToBudget(value, schema, json, 10_000)!;
    expect(fitted.structured).toBe(value);
    expect(fitted.trimmed).toBeUndefined();
  });

  it("drops items from the largest array until it fits, keeps it valid and says so", () => {
    const fitted = fitToBudget(answer(), schema, json, 300)!;
    expect(fitted.tokens).toBeLessThanOrEqual(300);
    expect(schema.safeParse(fitted.structured).success).toBe(true);
    const top = (fitted.structured as ReturnType<typeof answer>).top;
    expect(top.length).toBeLessThan(60);
    expect(top[0]!.id).toBe("A-0");
    expect(fitted.trimmed).toEqual([{ path: "top", kept: top.length, dropped: 60 - top.length }]);
    expect(fitted.text).toMatch(
      /\[trimmed to fit the 300-token answer budget: kept \d+ of 60 items of "top"/,
    );
  });

  it("warns that a cursor in a trimmed answer skips the dropped items", () => {
    const paged = z.object({ top: z.array(z.string()), next_cursor: z.string().nullable() });
    const value = {
      top: Array.from({ length: 50 }, (_, i) => `item-${i}-${"x".repeat(20)}`),
      next_cursor: "abc",
    };
    expect(fitToBudget(value, paged, json, 200)!.text).toMatch(
      /next_cursor continues after the dropped items/,
    );
  });

  it("never cuts an array below what the schema allows, and gives up when nothing valid fits", () => {
    const value = { total: 1, top: [], pinned: ["x".repeat(2000), "y", "z"] };
    expect(fitToBudget(value, schema, json, 100)).toBeUndefined();
  });

  it("fits any budget a smaller budget fits, also when a cut lands just under the note's room", () => {
    // One token per character, ~40 characters per item: some cuts overshoot the target, and the
    // note then tips the answer over by a few tokens; the next round must cut again.
    const fits: number[] = [];
    for (let budget = 300; budget <= 2_000; budget += 7) {
      if (fitToBudget(answer(), schema, json, budget, (t) => t.length)) fits.push(budget);
      else expect(fits, `budget ${budget} failed after ${fits.at(-1)} fitted`).toEqual([]);
    }
    expect(fits.length).toBeGreaterThan(200);
  });

  it("does not modify the answer it was given", () => {
    const value = answer();
    fitToBudget(value, schema, json, 200);
    expect(value.top).toHaveLength(60);
  });
});

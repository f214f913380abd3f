import { describe, expect, it } from "vitest";
import { countTokens } from "./tokenizer.js";

describe("countTokens", () => {
  it("counts an empty text as zero tokens", () => {
    expect(countTokens("")).toBe(0);
  });

  it("counts common English words as one token each", () => {
    expect(countTokens("the order")).toBe(2);
  });

  it("grows with the text and never counts fewer tokens for more JSON", () => {
    const one = countTokens(JSON.stringify({ id: "D-1", amount_minor: 120000 }));
    const ten = countTokens(
      JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ id: `D-${i}`, amount_minor: 120000 + i }))),
    );
    expect(one).toBeGreaterThan(5);
    expect(ten).toBeGreaterThan(one * 5);
  });

  it("handles text the encoder treats as special or unusual without throwing", () => {
    expect(countTokens("<|endoftext|> \u0000 😀")).toBeGreaterThan(0);
  });
});

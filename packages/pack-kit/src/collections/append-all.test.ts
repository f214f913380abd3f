import { describe, expect, it } from "vitest";
import { appendAll } from "./append-all.js";

describe("appendAll", () => {
  it("appends a million items, where push(...items) overflows the call stack", () => {
    const items = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(() => [].push(...(items as never[]))).toThrow(RangeError);
    const target = [-1];
    expect(appendAll(target, items)).toBe(target);
    expect(target).toHaveLength(1_000_001);
    expect(target.at(-1)).toBe(999_999);
  });

  it("takes any iterable, in order", () => {
    expect(appendAll(["a"], new Set(["b", "c"]))).toEqual(["a", "b", "c"]);
  });
});

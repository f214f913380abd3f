import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutResult } from "../result/cut.js";
import { toJsonValue } from "./json.js";
import { decode, encode } from "./wire.js";

const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt(),
    fc.date({ noInvalidDate: false }),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie("v"), { maxKeys: 4 }),
    fc.array(fc.tuple(tie("v"), tie("v")), { maxLength: 3 }).map((e) => new Map(e)),
    fc.array(tie("v"), { maxLength: 3 }).map((e) => new Set(e)),
    fc.record({ $tp: fc.constantFrom("c", "u", "n", "x"), v: tie("v") }),
  ),
}));

describe("wire codec", () => {
  it("round-trips BigInt, Date, Map, Set, undefined, -0, NaN, escaped tags (property)", () => {
    fc.assert(
      fc.property(value.v, (v) => {
        expect(decode(encode(v))).toEqual(v);
      }),
    );
  });

  it("round-trips cycles and keeps __proto__ as data", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    a.list = [a, new Map([["back", a]])];
    const back = decode(encode(a)) as Record<string, unknown>;
    expect(back.self).toBe(back);
    expect((back.list as unknown[])[0]).toBe(back);
    expect(((back.list as unknown[])[1] as Map<string, unknown>).get("back")).toBe(back);
    const p = decode('{"__proto__":{"polluted":1},"a":1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(p)).toEqual(["__proto__", "a"]);
  });
});

describe("cutResult", () => {
  it("always yields valid JSON within the budget, noting what was cut (property)", () => {
    fc.assert(
      fc.property(value.v, fc.integer({ min: 64, max: 4000 }), (v, budget) => {
        const { value: out, truncated } = cutResult(v, budget);
        const text = JSON.stringify(toJsonValue(out));
        if (truncated) {
          expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(budget);
          expect(JSON.parse(text)).toBeDefined();
          expect(truncated.originalBytes).toBeGreaterThan(budget);
        } else {
          expect(out).toBe(v);
        }
      }),
    );
  });

  it("keeps the head of a big array and says how many items were cut", () => {
    const { value, truncated } = cutResult(
      Array.from({ length: 1000 }, (_, i) => ({ i })),
      300,
    );
    const arr = value as unknown[];
    expect(arr[0]).toEqual({ i: 0 });
    expect(String(arr.at(-1))).toMatch(/^\[cut: \d+ more items\]$/);
    expect(truncated?.note).toContain("300-byte budget");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countMoves } from "./count.js";
import { MOVES_LIMITS, type Moves, parseMoves } from "./schema.js";

const salesOrder: Moves = {
  sum: [{ each: "lines", product: ["quantity", "unit_price_minor"] }],
  currency: "currency",
};
const payment: Moves = { sum: [{ product: ["amount_minor"] }] };

describe("countMoves", () => {
  it("counts quantity x price over every line, not the price alone", () => {
    const args = {
      currency: "USD",
      lines: [
        { sku: "A", quantity: 1_000_000, unit_price_minor: 39_500 },
        { sku: "B", quantity: 3, unit_price_minor: 100 },
      ],
    };
    expect(countMoves(salesOrder, args)).toEqual({ ok: true, minor: 39_500_000_300, currency: "USD" });
  });

  it("counts negative amounts by their absolute value", () => {
    expect(countMoves(payment, { amount_minor: -700 })).toEqual({ ok: true, minor: 700 });
  });

  it("counts nothing for `none` and for an empty array", () => {
    expect(countMoves({ none: true }, { amount_minor: 9e9 })).toEqual({ ok: true, minor: 0 });
    expect(countMoves(salesOrder, { lines: [] })).toEqual({ ok: true, minor: 0 });
  });

  it("applies constant factors (amounts in major units)", () => {
    expect(countMoves({ sum: [{ product: ["amount", 100] }] }, { amount: 12 })).toEqual({
      ok: true,
      minor: 1200,
    });
  });

  it.each([
    ["a string", { amount_minor: "99999" }, "amount_minor", /string/],
    ["a fraction", { amount_minor: 10.5 }, "amount_minor", /fraction/],
    ["NaN", { amount_minor: Number.NaN }, "amount_minor", /NaN/],
    ["Infinity", { amount_minor: Number.POSITIVE_INFINITY }, "amount_minor", /Infinity/],
    ["an unsafe integer", { amount_minor: 2 ** 60 }, "amount_minor", /2\^53/],
    ["a missing field", { other: 5 }, "amount_minor", /missing/],
    ["null", { amount_minor: null }, "amount_minor", /missing/],
    ["an inherited field", JSON.parse('{"__proto__": {"amount_minor": 5}}'), "amount_minor", /missing/],
    ["a nested array", { amount_minor: [5] }, "amount_minor", /array/],
  ])("refuses %s with the path", (_label, args, path, problem) => {
    const counted = countMoves(payment, args);
    expect(counted).toMatchObject({ ok: false, path });
    expect(counted.ok ? "" : counted.problem).toMatch(problem);
  });

  it("refuses a line without a quantity, naming the line", () => {
    const counted = countMoves(salesOrder, {
      lines: [{ quantity: 1, unit_price_minor: 1 }, { unit_price_minor: 5 }],
    });
    expect(counted).toMatchObject({ ok: false, path: "lines[1].quantity" });
  });

  it("refuses lines that are not an array (a Map, an object)", () => {
    expect(countMoves(salesOrder, { lines: new Map([["a", 1]]) })).toMatchObject({
      ok: false,
      path: "lines",
    });
    expect(countMoves(salesOrder, { lines: { 0: { quantity: 1, unit_price_minor: 1 } } })).toMatchObject({
      ok: false,
      path: "lines",
    });
    expect(countMoves(payment, new Map([["amount_minor", 5]]))).toMatchObject({ ok: false });
  });

  it("refuses a product or a total beyond 2^53 - 1 instead of losing precision", () => {
    const huge = { lines: [{ quantity: 2 ** 30, unit_price_minor: 2 ** 30 }] };
    expect(countMoves(salesOrder, huge)).toMatchObject({ ok: false, path: "lines[0].unit_price_minor" });
    const many = { lines: Array.from({ length: 3 }, () => ({ quantity: 1, unit_price_minor: 2 ** 52 })) };
    expect(countMoves(salesOrder, many)).toMatchObject({ ok: false });
  });

  it("never runs a getter and bounds the elements it visits", () => {
    let ran = false;
    const args = {
      get amount_minor() {
        ran = true;
        return 1;
      },
    };
    expect(countMoves(payment, args)).toMatchObject({ ok: false, path: "amount_minor" });
    expect(ran).toBe(false);
    const lines = Array.from({ length: MOVES_LIMITS.elements + 1 }, () => ({
      quantity: 1,
      unit_price_minor: 1,
    }));
    expect(countMoves(salesOrder, { lines })).toMatchObject({ ok: false, problem: /too many/ });
  });

  it("agrees with exact arithmetic on generated orders (property)", () => {
    const line = fc.record({
      quantity: fc.integer({ min: -1_000_000, max: 1_000_000 }),
      unit_price_minor: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const exact = lines.reduce(
          (s, l) => s + BigInt(Math.abs(l.quantity)) * BigInt(Math.abs(l.unit_price_minor)),
          0n,
        );
        const counted = countMoves(salesOrder, { lines });
        if (exact > BigInt(Number.MAX_SAFE_INTEGER)) return !counted.ok;
        return counted.ok && BigInt(counted.minor) === exact;
      }),
    );
  });

  it("is total on arbitrary JSON arguments: a count or a refusal, never a throw", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (lines, amount) => {
        const a = countMoves(salesOrder, { lines });
        const b = countMoves(payment, { amount_minor: amount });
        return typeof a.ok === "boolean" && typeof b.ok === "boolean";
      }),
    );
  });
});

describe("parseMoves", () => {
  it("accepts the two forms and refuses anything else with a reason", () => {
    expect(parseMoves({ none: true }).ok).toBe(true);
    expect(parseMoves(salesOrder).ok).toBe(true);
    for (const bad of [
      undefined,
      ["amount_minor"],
      { none: false },
      { sum: [] },
      { sum: [{ product: [] }] },
      { sum: [{ product: ["a", "b", "c", "d", "e"] }] },
      { sum: [{ product: ["lines[0].quantity"] }] },
      { sum: [{ product: ["__proto__.x"] }] },
      { sum: [{ product: [1.5] }] },
      { sum: [{ product: ["amount"], code: "return 1" }] },
    ]) {
      const parsed = parseMoves(bad);
      expect(parsed.ok, JSON.stringify(bad)).toBe(false);
      expect(parsed.ok ? "" : parsed.problem).not.toBe("");
    }
  });
});

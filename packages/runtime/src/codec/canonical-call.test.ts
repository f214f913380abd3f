import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CanonicalArgsError,
  canonicalizeArgs,
  canonicalText,
  ensureCanonicalArgs,
  isCanonicalArgs,
} from "./canonical-call.js";
import { decode, encode } from "./wire.js";

/** What the bridge does: the sandbox's wire encoding, decoded on the host, made canonical. */
const viaWire = (value: unknown) => canonicalizeArgs(decode(encode(value)));
const text = (value: unknown) => canonicalText(viaWire(value));

/** `[1, <hole>, 3]`. */
function sparse(): unknown[] {
  const a: unknown[] = [1];
  a[2] = 3;
  return a;
}

function refusal(value: unknown): CanonicalArgsError {
  try {
    canonicalizeArgs(value);
  } catch (error) {
    expect(error).toBeInstanceOf(CanonicalArgsError);
    return error as CanonicalArgsError;
  }
  throw new Error(`expected a refusal for ${String(value)}`);
}

describe("the canonical call: conversions", () => {
  const error = Object.assign(new Error("wire 90000 EUR"), { code: "E42" });
  const corpus: Array<[string, unknown, string]> = [
    ["no argument is {}", undefined, "{}"],
    ["keys sorted by code unit", { b: 1, a: 2, B: 3 }, '{"B":3,"a":2,"b":1}'],
    [
      "a Map with string keys is an object",
      new Map<string, unknown>([
        ["amount_minor", 50000],
        ["currency", "USD"],
      ]),
      '{"amount_minor":50000,"currency":"USD"}',
    ],
    [
      "a Set is an array in insertion order",
      { lines: new Set([{ qty: 2 }, { qty: 1 }]) },
      '{"lines":[{"qty":2},{"qty":1}]}',
    ],
    ["a Date is its ISO string", { at: new Date(0) }, '{"at":"1970-01-01T00:00:00.000Z"}'],
    ["a safe BigInt is a number", { n: 12n }, '{"n":12}'],
    ["-0 is 0", { n: -0 }, '{"n":0}'],
    [
      "undefined properties are dropped, undefined items are null",
      { a: undefined, b: [undefined, 1] },
      '{"b":[null,1]}',
    ],
    ["a sparse array keeps its length with nulls", { a: sparse() }, '{"a":[1,null,3]}'],
    [
      "an Error is name, message and code",
      { e: error },
      '{"e":{"code":"E42","message":"wire 90000 EUR","name":"Error"}}',
    ],
    [
      "constructor and prototype are ordinary keys",
      { constructor: 2, prototype: { x: 1 } },
      '{"constructor":2,"prototype":{"x":1}}',
    ],
    [
      "a shared value is copied",
      (() => {
        const s = { x: 1 };
        return { a: s, b: s };
      })(),
      '{"a":{"x":1},"b":{"x":1}}',
    ],
    [
      "functions and symbols are dropped by the sandbox's encoder",
      { a: 1, f() {}, s: Symbol("x") },
      '{"a":1}',
    ],
    [
      "a typed array arrives as an object of index keys",
      { b: new Uint8Array([7, 8]) },
      '{"b":{"0":7,"1":8}}',
    ],
    [
      "a getter is read once by the sandbox's encoder",
      {
        get amount() {
          return 5;
        },
      },
      '{"amount":5}',
    ],
    ["a lone surrogate is kept, escaped", { s: "a\ud800b" }, '{"s":"a\\ud800b"}'],
    ["the largest safe integer is kept", { n: Number.MAX_SAFE_INTEGER }, `{"n":${Number.MAX_SAFE_INTEGER}}`],
  ];
  for (const [name, value, expected] of corpus) {
    it(name, () => {
      expect(text(value)).toBe(expected);
    });
  }

  it("is deep-frozen, so no consumer can change what the next one sees", () => {
    const args = viaWire({ lines: [{ qty: 1 }] });
    expect(Object.isFrozen(args)).toBe(true);
    expect(Object.isFrozen(args.lines)).toBe(true);
    expect(Object.isFrozen((args.lines as object[])[0])).toBe(true);
    expect(isCanonicalArgs(args)).toBe(true);
    expect(ensureCanonicalArgs(args)).toBe(args);
    expect(isCanonicalArgs({ lines: [] })).toBe(false);
  });

  it("refuses a __proto__ key (a server's request parsing would make it a prototype)", () => {
    for (const value of [
      JSON.parse('{"__proto__":{"amount_minor":900000}}'),
      { lines: [JSON.parse('{"sku":"a","__proto__":{"qty":5}}')] },
      new Map([["__proto__", { amount_minor: 1 }]]),
    ]) {
      const error = refusal(decode(encode(value)));
      expect(error.path).toMatch(/\.__proto__$/);
    }
    expect(({} as Record<string, unknown>).amount_minor).toBeUndefined();
  });
});

describe("the canonical call: refusals name the path", () => {
  const cyclic: Record<string, unknown> = { lines: [] };
  (cyclic.lines as unknown[]).push({ back: cyclic });
  const cases: Array<[string, unknown, string, RegExp]> = [
    ["NaN", { lines: [{}, {}, { qty: Number.NaN }] }, "$.lines[2].qty", /NaN/],
    ["Infinity", { amount: Number.POSITIVE_INFINITY }, "$.amount", /Infinity/],
    ["an unsafe integer", { amount: 2 ** 53 }, "$.amount", /9007199254740991/],
    ["1e21", { amount: 1e21 }, "$.amount", /parsers disagree/],
    ["an unsafe BigInt", { amount_minor: 90000000000000000000n }, "$.amount_minor", /BigInt/],
    ["a cycle", cyclic, "$.lines[0].back", /cycle/],
    ["a Map with a number key", { m: new Map([[1, "a"]]) }, "$.m", /not a string/],
    ["an invalid Date", { at: new Date(Number.NaN) }, "$.at", /invalid Date/],
    ["an odd key in the path", { "unit price": Number.NaN }, '$["unit price"]', /NaN/],
    ["an array as the arguments", [1, 2], "$", /must be an object/],
    ["null as the arguments", null, "$", /must be an object/],
    ["a Set as the arguments", new Set([1]), "$", /must be an object/],
  ];
  for (const [name, value, path, message] of cases) {
    it(`${name} (via the wire)`, () => {
      const error = refusal(decode(encode(value)));
      expect(error.code).toBe("INVALID_ARGUMENTS");
      expect(error.path).toBe(path);
      expect(error.message).toContain(`argument ${path} `);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/nothing was sent/);
    });
  }

  it("refuses, given directly, what the sandbox could never send", () => {
    expect(refusal({ f: () => 1 }).path).toBe("$.f");
    expect(refusal({ s: Symbol("x") }).path).toBe("$.s");
    expect(refusal({ b: new Uint8Array(2) }).message).toMatch(/Uint8Array, not plain data/);
    expect(refusal({ a: [new ArrayBuffer(1)] }).path).toBe("$.a[0]");
    class Money {
      amount = 5;
    }
    expect(refusal({ m: new Money() }).message).toMatch(/Money/);
    expect(
      refusal({
        get amount() {
          return 5;
        },
      }).message,
    ).toMatch(/getter/);
  });
});

// Values a program can pass, odd ones included (tags the wire knows, keys that look like prototypes).
const oddValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant(-0),
    fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
    fc.date({ noInvalidDate: false }),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "$tp")), tie("v"), {
      maxKeys: 4,
    }),
    fc.array(fc.tuple(fc.string(), tie("v")), { maxLength: 3 }).map((e) => new Map(e)),
    fc.array(tie("v"), { maxLength: 3 }).map((e) => new Set(e)),
    fc.tuple(fc.string(), fc.string()).map(([m, c]) => Object.assign(new Error(m), { code: c })),
  ),
}));
const oddArgs = fc.dictionary(fc.string(), oddValue.v, { maxKeys: 5 });

describe("the canonical call (property)", () => {
  it("is either refused with a path or plain JSON that reads back to itself, whatever the program passes", () => {
    fc.assert(
      fc.property(oddArgs, (value) => {
        let args: ReturnType<typeof viaWire>;
        try {
          args = viaWire(value);
        } catch (error) {
          expect(error).toBeInstanceOf(CanonicalArgsError);
          expect((error as CanonicalArgsError).path).toMatch(/^\$/);
          return;
        }
        const once = canonicalText(args);
        // What a server parses from the request is the same canonical value.
        expect(canonicalText(canonicalizeArgs(JSON.parse(JSON.stringify(args))))).toBe(once);
        expect(JSON.parse(once)).toEqual(JSON.parse(JSON.stringify(args)));
        // Making it canonical again changes nothing (no consumer can get a different view).
        expect(canonicalText(canonicalizeArgs(args))).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it("two values give the same text exactly when the wire would send the same JSON", () => {
    fc.assert(
      fc.property(oddArgs, oddArgs, (a, b) => {
        let ta: string;
        let tb: string;
        try {
          ta = text(a);
          tb = text(b);
        } catch {
          return;
        }
        const sent = (v: unknown) => JSON.stringify(sortKeys(JSON.parse(JSON.stringify(viaWire(v)))));
        expect(ta === tb).toBe(sent(a) === sent(b));
      }),
      { numRuns: 200 },
    );
  });
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    Object.defineProperty(out, k, {
      value: sortKeys((value as Record<string, unknown>)[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

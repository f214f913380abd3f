import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { textValue } from "./text-value.js";

describe("textValue: a tool's text becomes JSON only when nothing is lost", () => {
  it("keeps numbers-as-text the server wrote (ids, versions, codes) as strings", () => {
    for (const text of ["12345678901234567890", "1.10", "007", "1e3", "-0", "1.0", " 2.50 "])
      expect(textValue(text)).toBe(text);
  });

  it("parses scalars that read back the same", () => {
    expect(textValue("42")).toBe(42);
    expect(textValue("-3.25")).toBe(-3.25);
    expect(textValue("true")).toBe(true);
    expect(textValue("null")).toBe(null);
    expect(textValue('"quoted"')).toBe("quoted");
  });

  it("keeps objects and arrays whose numbers would lose digits as text", () => {
    const big = '{"id": 12345678901234567890, "n": 1}';
    expect(textValue(big)).toBe(big);
    expect(textValue("[0.1, 9007199254740993]")).toBe("[0.1, 9007199254740993]");
  });

  it("parses objects and arrays whose numbers are exact, whatever their spacing, escapes or digits in strings", () => {
    expect(
      textValue('{\n  "a": 1.50,\n  "b": [1e2, -0.5],\n  "s": "12345678901234567890 \\u00e9"\n}'),
    ).toEqual({
      a: 1.5,
      b: [100, -0.5],
      s: "12345678901234567890 é",
    });
  });

  it("leaves prose and broken JSON alone", () => {
    for (const text of ["hello", "nothing here", "{not json}", "[1, 2", "12 apples", ""])
      expect(textValue(text)).toBe(text);
  });

  it("gives back any JSON value of safe numbers, and never alters a text it does not parse", () => {
    const safe = fc.jsonValue().filter((v) => !JSON.stringify(v).match(/e[+-]?\d|\d{16,}/));
    fc.assert(
      fc.property(safe, (v) => {
        expect(textValue(JSON.stringify(v, null, 1))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = textValue(s);
        if (typeof out === "string" && out !== s) expect(JSON.stringify(out)).toBe(s.trim());
      }),
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignIdentifiers, freshName } from "./assign.js";
import { toIdentifier } from "./identifier.js";

describe("toIdentifier", () => {
  it("keeps snake_case tool names unchanged", () => {
    expect(toIdentifier("pipeline_summary")).toBe("pipeline_summary");
  });

  it("maps dashes, dots and slashes to underscores", () => {
    expect(toIdentifier("billing/create-invoice.v2")).toBe("billing_create_invoice_v2");
  });

  it("never returns a reserved word or a leading digit", () => {
    expect(toIdentifier("delete")).toBe("delete_");
    expect(toIdentifier("2fa")).toBe("_2fa");
    expect(toIdentifier("__proto__")).toBe("__proto___");
  });

  it("is unicode-safe and ASCII-only", () => {
    expect(toIdentifier("créer-facture")).toBe("creer_facture");
    expect(toIdentifier("日本")).toBe("u65e5_u672c");
    expect(toIdentifier("")).toBe("_");
    expect(toIdentifier("🚀 launch")).toBe("u1f680_launch");
  });

  it("always yields a valid identifier (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (name) => {
        expect(toIdentifier(name)).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
      }),
    );
  });
});

describe("assignIdentifiers", () => {
  it("gives colliding names stable suffixes", () => {
    const m = assignIdentifiers(["a-b", "a_b", "a.b"]);
    expect(m.get("a_b")).toBe("a_b");
    expect(m.get("a-b")).toBe("a_b_2");
    expect(m.get("a.b")).toBe("a_b_3");
  });

  it("is injective and independent of order (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: "binary", maxLength: 6 }),
            fc.constantFrom("a_b", "a-b", "a_b_2", "delete", "delete_"),
          ),
          { maxLength: 30 },
        ),
        (names) => {
          const m = assignIdentifiers(names);
          const ids = [...m.values()];
          expect(new Set(ids).size).toBe(ids.length);
          expect(m.size).toBe(new Set(names).size);
          const reversed = assignIdentifiers([...names].reverse());
          expect([...reversed.entries()].sort()).toEqual([...m.entries()].sort());
          for (const id of ids) expect(id).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
        },
      ),
    );
  });
});

describe("assignIdentifiers on a hostile listing", () => {
  it("names ~20,000 tools that all map to one identifier, each distinctly, in suffix order", () => {
    const punct = [..."-./:;!?@#%^&*()+=[]{}<>,~|"];
    const names = punct.flatMap((x) => punct.flatMap((y) => punct.map((z) => `a${x}${y}${z}`)));
    const m = assignIdentifiers(names);
    expect(new Set(m.values()).size).toBe(names.length);
    const sorted = [...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    expect(sorted.slice(0, 3).map((n) => m.get(n))).toEqual(["a___", "a____2", "a____3"]);
    expect(m.get(sorted[sorted.length - 1] as string)).toBe(`a____${names.length}`);
  });
});

describe("freshName", () => {
  it("numbers clashing type names in order, skipping taken ones, for 50,000 clashes on one base", () => {
    const taken = new Set(["T", "T3"]);
    const names = Array.from({ length: 50_000 }, () => freshName("T", taken));
    expect(names.slice(0, 3)).toEqual(["T2", "T4", "T5"]);
    expect(new Set(names).size).toBe(names.length);
    expect(freshName("U", taken)).toBe("U");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignIdentifiers } from "./assign.js";
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

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toPostgresPlaceholders } from "./placeholders.js";

describe("toPostgresPlaceholders", () => {
  it("numbers bare ? parameters in order", () => {
    expect(toPostgresPlaceholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?) LIMIT ? OFFSET ?")).toBe(
      "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3) LIMIT $4 OFFSET $5",
    );
  });

  it("leaves ? inside literals, quoted names, dollar quotes and comments alone", () => {
    const sql = `SELECT '?', 'it''s ?', "a?b", $$ ? $$, $fn$ ? $fn$ -- what?
      FROM t /* ? */ WHERE x = ?`;
    expect(toPostgresPlaceholders(sql)).toBe(sql.replace("x = ?", "x = $1"));
  });

  it("never touches text without ? (property)", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes("?")),
        (s) => toPostgresPlaceholders(s) === s,
      ),
    );
  });

  it("replaces every ? of plain SQL text, one number each (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", " ", "=", "(", ")", ",", "?")), (parts) => {
        const sql = parts.join("");
        const out = toPostgresPlaceholders(sql);
        const count = parts.filter((p) => p === "?").length;
        expect(out.includes("?")).toBe(false);
        expect([...out.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]))).toEqual(
          Array.from({ length: count }, (_, i) => i + 1),
        );
      }),
    );
  });
});

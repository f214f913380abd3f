import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ASCII_ONLY, ENCODINGS } from "../fixtures/secret-encodings.js";
import { stripInvisible } from "./encodings.js";
import { createRedactor, MIN_SECRET_LENGTH } from "./redactor.js";

// Random secrets, ASCII and full Unicode (combining marks, astral characters), each turned into
// every recognised form: what comes out of the redactor holds neither the secret nor that form.

const wellFormed = (s: string) => !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""));
const asciiSecrets = fc
  .string({ unit: "grapheme-ascii", minLength: MIN_SECRET_LENGTH, maxLength: 40 })
  .filter((s) => s.trim().length >= MIN_SECRET_LENGTH);
const secrets = fc
  .oneof(
    asciiSecrets,
    fc.string({ unit: "grapheme", minLength: MIN_SECRET_LENGTH, maxLength: 16 }),
    fc.string({ unit: "binary", minLength: MIN_SECRET_LENGTH, maxLength: 16 }),
  )
  // A secret whose invisible-free view is shorter than the minimum is, by design, not searched in
  // that view (secret-patterns.ts: too short to hide safely), so a secret that is itself partly
  // invisible (e.g. seven NULs and a variation selector) is outside this property; found by CI.
  .filter(
    (s) =>
      wellFormed(s) &&
      [...s.normalize("NFC")].length >= MIN_SECRET_LENGTH &&
      [...stripInvisible(s).normalize("NFKC")].length >= MIN_SECRET_LENGTH,
  );

describe("property: every recognised form of a random secret is hidden", () => {
  for (const [name, encode] of Object.entries(ENCODINGS)) {
    it(name, () => {
      fc.assert(
        fc.property(ASCII_ONLY.has(name) ? asciiSecrets : secrets, (secret) => {
          const r = createRedactor({ secrets: [secret] });
          const encoded = encode(secret);
          const out = r.text(`before ${encoded} after`);
          expect(out).not.toContain(secret);
          expect(out).not.toContain(encoded);
          expect(r.leaks(out)).toBe(false);
        }),
        { numRuns: 60 },
      );
    });
  }

  it("a numeric secret handed back as a number, in a string or as a BigInt", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 7n, max: 10n ** 30n }), (n) => {
        const r = createRedactor({ secrets: [String(n)] });
        const out = r.value({ asNumber: Number(n), asBigInt: n, asText: `id ${n}` });
        expect(out).toEqual({ asNumber: "[REDACTED]", asBigInt: "[REDACTED]", asText: "id [REDACTED]" });
      }),
    );
  });
});

describe("property: no false positives", () => {
  const r = createRedactor({
    secrets: ["sk_live/51Hx9Zq8Secret", "Pa\u0301ssw\u00f6rd-\u03a9mega", "98765432109"],
  });
  it("text, base64, hex and numbers without a secret come back unchanged", () => {
    const ordinary = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: "grapheme", maxLength: 60 }),
      fc.base64String({ maxLength: 200 }),
      fc.stringMatching(/^[0-9a-f]{16,64}$/),
      fc.integer().map(String),
    );
    fc.assert(
      fc.property(ordinary, fc.double({ noNaN: true }), (text, n) => {
        expect(r.text(text)).toBe(text);
        expect(r.value({ n })).toEqual({ n });
      }),
      { numRuns: 500 },
    );
  });
});

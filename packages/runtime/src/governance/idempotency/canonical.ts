import { canonicalizeValue, canonicalText } from "../../codec/canonical-call.js";

/**
 * Canonical JSON of any value: the value made canonical by the same rules as a tool call's
 * arguments (`codec/canonical-call.ts`: a Map with string keys is an object, a Set an array,
 * a Date its ISO string, `-0` is `0`, ...), then written with keys sorted by code unit. The same
 * value always gives the same text. A value the rules refuse (a cycle, NaN, a BigInt beyond the
 * safe range, ...) throws a `CanonicalArgsError` naming its path.
 */
export function canonicalJson(value: unknown): string {
  return canonicalText(canonicalizeValue(value));
}

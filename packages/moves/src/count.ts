import { MOVES_LIMITS, type Moves } from "./schema.js";

/**
 * What a declaration says one call moves: an exact integer number of minor units, or why it
 * cannot be counted (the path of the offending argument and the problem, in words).
 */
export type MovesCount =
  | { ok: true; minor: number; currency?: string }
  | { ok: false; path: string; problem: string };

// Plain numbers are exact here: while a true product or sum of integers stays at most
// 2^53 - 1 its float is exact, and once it passes that its float is at least 2^53 (rounding is
// monotonic), so the `> MAX` checks refuse exactly the results that could lose precision.
const MAX = Number.MAX_SAFE_INTEGER;

/**
 * Counts what a call moves under its declaration. Total and safe on hostile arguments: it runs
 * no code from the arguments (own data properties of plain objects only, no getters, no
 * prototypes), visits at most `MOVES_LIMITS.elements` array elements, and computes exactly.
 * Each factor must be an integer number (negative values count by their absolute
 * value, so a refund of -500 moves 500); a missing or null factor, a string, a fraction, a
 * non-plain object on the path or a result above 2^53 - 1 is refused, never guessed: a budget
 * that cannot count a call must not let it through. An empty `each` array adds nothing.
 */
export function countMoves(moves: Moves, args: unknown): MovesCount {
  if ("none" in moves) return { ok: true, minor: 0 };
  let total = 0;
  let elements = 0;
  for (const term of moves.sum) {
    let scopes: Array<{ value: unknown; prefix: string }>;
    if (term.each === undefined) scopes = [{ value: args, prefix: "" }];
    else {
      const found = lookup(args, term.each);
      if (!found.ok) return { ok: false, path: term.each, problem: found.problem };
      if (!Array.isArray(found.value)) {
        return { ok: false, path: term.each, problem: `is ${kindOf(found.value)}, not an array` };
      }
      elements += found.value.length;
      if (elements > MOVES_LIMITS.elements) {
        return {
          ok: false,
          path: term.each,
          problem: `holds more than ${MOVES_LIMITS.elements} elements in all, too many to count`,
        };
      }
      const list = found.value as unknown[];
      scopes = Array.from({ length: list.length }, (_, i) => ({
        value: ownData(list, String(i)),
        prefix: `${term.each}[${i}].`,
      }));
    }
    for (const scope of scopes) {
      let product = 1;
      for (const factor of term.product) {
        if (typeof factor === "number") {
          product *= factor;
          continue;
        }
        const path = scope.prefix + factor;
        const found = lookup(scope.value, factor);
        if (!found.ok) return { ok: false, path, problem: found.problem };
        const value = found.value;
        if (typeof value !== "number" || !Number.isInteger(value)) {
          return { ok: false, path, problem: `is ${kindOf(value)}, not an integer number of minor units` };
        }
        if (!Number.isSafeInteger(value)) {
          return { ok: false, path, problem: "is beyond 2^53 - 1, too large to count exactly" };
        }
        product *= Math.abs(value);
        if (product > MAX) {
          return {
            ok: false,
            path,
            problem: "makes a product beyond 2^53 - 1 minor units, too large to count",
          };
        }
      }
      total += product;
      if (total > MAX) {
        return {
          ok: false,
          path: scope.prefix || term.product.join(" x "),
          problem: "brings the total beyond 2^53 - 1 minor units, too large to count",
        };
      }
    }
  }
  const currency = moves.currency === undefined ? undefined : lookup(args, moves.currency);
  const code = currency?.ok && typeof currency.value === "string" ? currency.value.slice(0, 16) : undefined;
  return code === undefined ? { ok: true, minor: total } : { ok: true, minor: total, currency: code };
}

type Found = { ok: true; value: unknown } | { ok: false; problem: string };

// Paths come from a handful of declarations; splitting each once keeps a 50-line order cheap.
const segmentsOf = new Map<string, readonly string[]>();
function segments(path: string): readonly string[] {
  let names = segmentsOf.get(path);
  if (names === undefined) {
    names = path.split(".");
    if (segmentsOf.size < 1024) segmentsOf.set(path, names);
  }
  return names;
}

function lookup(root: unknown, path: string): Found {
  let value = root;
  for (const name of segments(path)) {
    if (!isPlainObject(value)) return { ok: false, problem: `is missing (its parent is ${kindOf(value)})` };
    value = ownData(value, name);
    if (value === undefined || value === null) return { ok: false, problem: "is missing" };
  }
  return { ok: true, value };
}

// Only an own data property counts: a getter would run code on the host, and an inherited
// value is not what the server receives as JSON.
function ownData(object: object, name: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, name);
  return descriptor && "value" in descriptor ? descriptor.value : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isFinite(value) ? `the fraction ${value}` : String(value);
  if (typeof value === "string") return `a string (${JSON.stringify(value.slice(0, 40))})`;
  if (typeof value === "object") return isPlainObject(value) ? "an object" : "not plain JSON data";
  return `a ${typeof value}`;
}

import { RESERVED_WORDS, toIdentifier } from "./identifier.js";

/**
 * Gives each name a distinct identifier. Injective: two names never share an identifier.
 * Stable: the result depends only on the set of names, not their order. A name whose
 * identifier is itself keeps it; otherwise colliding names are taken in code-unit order and
 * get `_2`, `_3`, … suffixes.
 */
export function assignIdentifiers(
  names: Iterable<string>,
  reserved: ReadonlySet<string> = RESERVED_WORDS,
): Map<string, string> {
  const unique = [...new Set(names)].sort(compare);
  const base = new Map(unique.map((n) => [n, toIdentifier(n, reserved)]));
  const taken = new Set<string>();
  const out = new Map<string, string>();
  // Names that are already their own identifier keep it.
  for (const n of unique) {
    if (base.get(n) === n && !taken.has(n)) {
      out.set(n, n);
      taken.add(n);
    }
  }
  // The next suffix to try per base: every lower one is taken already, and stays taken, so
  // thousands of names on one base (a hostile listing) cost linear time, not quadratic.
  const next = new Map<string, number>();
  for (const n of unique) {
    if (out.has(n)) continue;
    const b = base.get(n) as string;
    let id = b;
    let i = next.get(b) ?? 2;
    if (next.has(b) || taken.has(id) || reserved.has(id)) {
      for (id = `${b}_${i}`; taken.has(id) || reserved.has(id); ) id = `${b}_${++i}`;
      next.set(b, i + 1);
    }
    out.set(n, id);
    taken.add(id);
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Per set of taken names, the next numeric suffix to try for each base. */
const nextSuffix = new WeakMap<Set<string>, Map<string, number>>();

/**
 * `base`, or `base2`, `base3`, … : the first of them not in `taken`, which it joins. Resumes where
 * the last call for this base stopped, so n names on one base cost linear time, not quadratic
 * (a hostile schema can declare thousands of definitions whose names clash).
 */
export function freshName(base: string, taken: Set<string>): string {
  let next = nextSuffix.get(taken);
  if (!next) {
    next = new Map();
    nextSuffix.set(taken, next);
  }
  let name = base;
  if (next.has(base) || taken.has(name)) {
    let i = next.get(base) ?? 2;
    for (name = `${base}${i}`; taken.has(name); ) name = `${base}${++i}`;
    next.set(base, i + 1);
  }
  taken.add(name);
  return name;
}

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
  for (const n of unique) {
    if (out.has(n)) continue;
    const b = base.get(n) as string;
    let id = b;
    for (let i = 2; taken.has(id) || reserved.has(id); i++) id = `${b}_${i}`;
    out.set(n, id);
    taken.add(id);
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A server's JSON Schema without the keywords that make a validator run the SERVER's regular
 * expressions: `pattern` and `patternProperties`. JavaScript's regex engine backtracks, so one
 * pattern such as `^(a+)+$` and a 30-character answer take seconds to minutes of CPU. Used where
 * validation must run on the host thread (Cloudflare Workers, a caller's own validator); in Node
 * the whole schema is checked in a worker thread with a time limit instead (output-check.ts).
 *
 * Dropping a keyword only ever loosens a schema: an answer the full schema accepts is accepted.
 * Subschemas deeper than 128 levels are replaced by `true` (accept anything) for the same reason.
 * Where `patternProperties` is dropped, `additionalProperties` and `unevaluatedProperties` of the
 * same object are dropped too, as they would otherwise reject the properties the patterns covered.
 */

/** How deep a schema is walked; a host-thread validator also recurses, so deeper levels are dropped. */
const MAX_DEPTH = 128;

/** Keywords whose value is one subschema. */
const ONE = [
  "additionalProperties",
  "unevaluatedProperties",
  "propertyNames",
  "items",
  "additionalItems",
  "unevaluatedItems",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "contentSchema",
] as const;
/** Keywords whose value is an array of subschemas. */
const MANY = ["allOf", "anyOf", "oneOf", "prefixItems", "items"] as const;
/** Keywords whose value maps names to subschemas (`dependencies` may also map to arrays of names). */
const MAPS = ["properties", "$defs", "definitions", "dependentSchemas", "dependencies"] as const;

/** Whether a schema (at any depth) has a keyword that runs a server-supplied regex. */
export function hasServerRegex(schema: unknown): boolean {
  return withoutServerRegexes(schema) !== schema;
}

/**
 * The schema without `pattern`/`patternProperties` anywhere a subschema can be, leaving data
 * (`const`, `enum`, `default`, `examples`) and property NAMES alone (a property may be called
 * `pattern`). Returns the same object when there was nothing to drop.
 */
export function withoutServerRegexes<T>(schema: T, seen = new Map<object, unknown>(), depth = 0): T {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
  // Deeper than this, a subschema accepts anything (`true`): loosening is safe, a stack overflow is not.
  if (depth > MAX_DEPTH) return true as T;
  const cached = seen.get(schema);
  if (cached !== undefined) return cached as T;
  seen.set(schema, schema);
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = { ...s };
  let changed = false;
  if ("pattern" in out) {
    delete out.pattern;
    changed = true;
  }
  if ("patternProperties" in out) {
    delete out.patternProperties;
    delete out.additionalProperties;
    delete out.unevaluatedProperties;
    changed = true;
  }
  const sub = (value: unknown): unknown => {
    const next = withoutServerRegexes(value, seen, depth + 1);
    if (next !== value) changed = true;
    return next;
  };
  for (const k of ONE) if (k in out && !Array.isArray(out[k])) out[k] = sub(out[k]);
  for (const k of MANY) if (Array.isArray(out[k])) out[k] = (out[k] as unknown[]).map(sub);
  for (const k of MAPS) {
    const map = out[k];
    if (map === null || typeof map !== "object" || Array.isArray(map)) continue;
    out[k] = Object.fromEntries(Object.entries(map).map(([name, value]) => [name, sub(value)]));
  }
  const result = changed ? out : s;
  seen.set(schema, result);
  return result as T;
}

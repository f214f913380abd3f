/**
 * Canonical JSON: the same value always gives the same text, whatever the key order.
 * Object keys are sorted by code unit; `undefined` properties are dropped (as JSON does);
 * BigInt, Date, Map and Set get explicit tags so they never collide with plain strings.
 * A cycle cannot be canonical and throws a `TypeError`.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, new Set());
}

function encode(value: unknown, seen: Set<object>): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify({ $number: String(value) });
    case "bigint":
      return JSON.stringify({ $bigint: value.toString() });
    case "function":
    case "symbol":
      return "null";
  }
  const object = value as object;
  if (seen.has(object)) throw new TypeError("canonicalJson: the value contains a cycle");
  seen.add(object);
  try {
    if (object instanceof Date) return JSON.stringify({ $date: object.toISOString() });
    if (Array.isArray(object)) return `[${object.map((v) => encode(v, seen)).join(",")}]`;
    if (object instanceof Map) {
      const entries = [...object.entries()].map(([k, v]) => `[${encode(k, seen)},${encode(v, seen)}]`).sort();
      return `{"$map":[${entries.join(",")}]}`;
    }
    if (object instanceof Set) {
      const items = [...object].map((v) => encode(v, seen)).sort();
      return `{"$set":[${items.join(",")}]}`;
    }
    const record = object as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
      parts.push(`${JSON.stringify(key)}:${encode(v, seen)}`);
    }
    return `{${parts.join(",")}}`;
  } finally {
    seen.delete(object);
  }
}

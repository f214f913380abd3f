/**
 * Turns a decoded value (which may hold BigInt, Date, Map, Set, undefined, cycles) into
 * plain JSON: what `--json` output and the gateway send of a run's result. (Tool arguments are
 * not converted here: they become the canonical call, `./canonical-call.ts`.)
 *   BigInt -> number when safe, else decimal string; Date -> ISO string; Map -> object
 *   (array of [key, value] when a key is not a string or number); Set -> array;
 *   undefined -> omitted (null in arrays); NaN/Infinity -> null; Error -> {name, message};
 *   a cycle -> "[Circular]".
 */
import { setOwn } from "./wire.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function toJsonValue(value: unknown): JsonValue {
  const out = convert(value, []);
  return out === undefined ? null : out;
}

function convert(value: unknown, stack: object[]): JsonValue | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (stack.includes(obj)) return "[Circular]";
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
  if (obj instanceof Error) return { name: obj.name, message: obj.message };
  stack.push(obj);
  try {
    if (Array.isArray(obj)) return obj.map((v) => convert(v, stack) ?? null);
    if (obj instanceof Set) return [...obj].map((v) => convert(v, stack) ?? null);
    if (obj instanceof Map) {
      const plain = [...obj.keys()].every((k) => typeof k === "string" || typeof k === "number");
      if (!plain) return [...obj].map(([k, v]) => [convert(k, stack) ?? null, convert(v, stack) ?? null]);
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of obj) {
        const c = convert(v, stack);
        if (c !== undefined) setOwn(out, String(k), c);
      }
      return out;
    }
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return convert(toJSON.call(obj), stack);
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(obj)) {
      const c = convert((obj as Record<string, unknown>)[key], stack);
      if (c !== undefined) setOwn(out, key, c);
    }
    return out;
  } finally {
    stack.pop();
  }
}

/**
 * The wire codec between the sandbox and the host: JSON, plus tagged objects
 * `{ "$tp": tag, "v": ... }` for what JSON cannot carry.
 *
 *   u  undefined              n  BigInt (decimal string)     f  NaN, ±Infinity, -0
 *   d  Date (ISO or null)     m  Map ([[k, v], ...])         s  Set ([...])
 *   e  Error ({name, message, code?})
 *   c  cycle: the container `v` levels up the current path (1 = parent container)
 *   o  a plain object that itself has a "$tp" key (escaped)
 *
 * The sandbox side is the same algorithm in plain JS (see `../executors/prelude.ts`);
 * the conformance suite checks both agree.
 */

export const MAX_DEPTH = 512;
const OMIT = Symbol("omit");

export class CodecError extends Error {
  override name = "CodecError";
}

type Encoded = unknown;

function encodeValue(value: unknown, stack: object[]): Encoded | typeof OMIT {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Number.isFinite(value)) return Object.is(value, -0) ? { $tp: "f", v: "-0" } : value;
      return { $tp: "f", v: String(value) };
    case "bigint":
      return { $tp: "n", v: value.toString() };
    case "undefined":
      return { $tp: "u" };
    case "function":
    case "symbol":
      return OMIT;
  }
  if (value === null) return null;
  const obj = value as object;
  const seen = stack.lastIndexOf(obj);
  if (seen >= 0) return { $tp: "c", v: stack.length - seen };
  if (stack.length >= MAX_DEPTH) throw new CodecError(`value is nested deeper than ${MAX_DEPTH} levels`);
  if (obj instanceof Date) {
    const t = obj.getTime();
    return { $tp: "d", v: Number.isNaN(t) ? null : obj.toISOString() };
  }
  if (obj instanceof Error) {
    const e: Record<string, unknown> = { name: String(obj.name), message: String(obj.message) };
    const code = (obj as { code?: unknown }).code;
    if (typeof code === "string" || typeof code === "number") e.code = code;
    return { $tp: "e", v: e };
  }
  if (!Array.isArray(obj) && !(obj instanceof Map) && !(obj instanceof Set)) {
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return encodeValue(toJSON.call(obj), stack);
  }
  stack.push(obj);
  try {
    if (Array.isArray(obj)) {
      const out: Encoded[] = new Array(obj.length);
      for (let i = 0; i < obj.length; i++) {
        const item = encodeValue(obj[i], stack);
        out[i] = item === OMIT ? null : item;
      }
      return out;
    }
    if (obj instanceof Map) {
      const out: Encoded[] = [];
      for (const [k, v] of obj) {
        const ek = encodeValue(k, stack);
        const ev = encodeValue(v, stack);
        out.push([ek === OMIT ? null : ek, ev === OMIT ? null : ev]);
      }
      return { $tp: "m", v: out };
    }
    if (obj instanceof Set) {
      const out: Encoded[] = [];
      for (const v of obj) {
        const ev = encodeValue(v, stack);
        out.push(ev === OMIT ? null : ev);
      }
      return { $tp: "s", v: out };
    }
    const out: Record<string, Encoded> = {};
    for (const key of Object.keys(obj)) {
      const ev = encodeValue((obj as Record<string, unknown>)[key], stack);
      if (ev !== OMIT) setOwn(out, key, ev);
    }
    return Object.hasOwn(obj, "$tp") ? { $tp: "o", v: out } : out;
  } finally {
    stack.pop();
  }
}

/** Sets `key` as an own data property, so a key named `__proto__` never touches a prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Encodes any value as a wire string. Throws CodecError for values nested too deep. */
export function encode(value: unknown): string {
  const enc = encodeValue(value, []);
  return JSON.stringify(enc === OMIT ? { $tp: "u" } : enc);
}

function decodeValue(x: unknown, stack: object[]): unknown {
  if (x === null || typeof x !== "object") return x;
  if (stack.length >= MAX_DEPTH) throw new CodecError(`value is nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(x)) {
    const out: unknown[] = [];
    stack.push(out);
    for (const item of x) out.push(decodeValue(item, stack));
    stack.pop();
    return out;
  }
  const rec = x as Record<string, unknown>;
  const tag = Object.hasOwn(rec, "$tp") ? rec.$tp : undefined;
  if (typeof tag === "string") {
    const v = rec.v;
    switch (tag) {
      case "u":
        return undefined;
      case "n":
        return BigInt(String(v));
      case "f":
        return v === "-0" ? -0 : Number(v);
      case "d":
        return new Date(typeof v === "string" ? v : Number.NaN);
      case "c": {
        const up = Number(v);
        const target = stack[stack.length - up];
        if (!(up >= 1) || target === undefined)
          throw new CodecError("cycle reference points outside the value");
        return target;
      }
      case "m": {
        const out = new Map<unknown, unknown>();
        stack.push(out);
        for (const pair of Array.isArray(v) ? v : []) {
          const [k, val] = Array.isArray(pair) ? pair : [];
          out.set(decodeValue(k, stack), decodeValue(val, stack));
        }
        stack.pop();
        return out;
      }
      case "s": {
        const out = new Set<unknown>();
        stack.push(out);
        for (const item of Array.isArray(v) ? v : []) out.add(decodeValue(item, stack));
        stack.pop();
        return out;
      }
      case "e": {
        const info = (v ?? {}) as Record<string, unknown>;
        const err = new Error(String(info.message ?? "")) as Error & { code?: unknown };
        if (typeof info.name === "string") err.name = info.name;
        if (info.code !== undefined) err.code = info.code;
        return err;
      }
      case "o":
        return decodePlain((v ?? {}) as Record<string, unknown>, stack);
    }
  }
  return decodePlain(rec, stack);
}

function decodePlain(rec: Record<string, unknown>, stack: object[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  stack.push(out);
  for (const key of Object.keys(rec)) setOwn(out, key, decodeValue(rec[key], stack));
  stack.pop();
  return out;
}

/** Decodes a wire string. Throws SyntaxError for invalid JSON and CodecError for bad tags. */
export function decode(text: string): unknown {
  return decodeValue(JSON.parse(text), []);
}

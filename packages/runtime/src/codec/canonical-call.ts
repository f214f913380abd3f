/**
 * The canonical call: a tool call's arguments turned, once, at the bridge, into one deep-frozen
 * plain-JSON value. That value, and only it, is what policy, budgets, the approver, the dry-run
 * plan, the idempotency key, the audit digest and the MCP request see (docs/security.md,
 * "One canonical call"), so no consumer can read a different call from the one that is sent.
 *
 * Rules, for every value a program can pass (what the sandbox's wire encoder already did is
 * noted; see `./wire.ts`):
 *
 * - **The arguments** must be an object (after the rules below, so a `Map` with string keys
 *   works). No argument at all (`undefined`) is `{}`. `null`, arrays, strings, numbers, `Set`s
 *   and `Date`s as the whole argument are refused.
 * - **Strings and booleans** are kept exactly (no Unicode normalisation; a lone surrogate is kept
 *   and written as a `\uXXXX` escape, as `JSON.stringify` does).
 * - **Numbers** must be finite and within ±(2^53 − 1) (`Number.MAX_SAFE_INTEGER`): every JSON
 *   parser then reads the same value. `-0` becomes `0` (JSON has no negative zero). `NaN`,
 *   `±Infinity` and larger magnitudes (`1e21`, which parsers read differently) are refused.
 * - **BigInt** within the safe range becomes the same number (`5n` is `5`); outside it is
 *   refused: it cannot be one JSON number every consumer reads alike, and a decimal string would
 *   let an amount dodge a budget that counts numbers.
 * - **`undefined`** as an object property removes the property (as JSON does); in an array it is
 *   `null`, and so is a hole of a sparse array: the length is kept.
 * - **Date** becomes its ISO-8601 string (`toISOString()`); an invalid Date is refused.
 * - **Map** becomes an object when every key is a string; any other key (a number, an object) is
 *   refused, since `1` and `"1"` would collide.
 * - **Set** becomes an array in insertion order.
 * - **Error** becomes `{ name, message }`, plus `code` when it has a string or number `code`;
 *   `message` is read although it is not enumerable. `cause`, `stack` and other properties are
 *   not part of the call (the sandbox's encoder never carries them).
 * - **Cycles** are refused (the path names where the value refers back to itself). A value shared
 *   by two places (no cycle) is copied into each, as JSON does.
 * - **A `__proto__` key** is refused, at any depth: JSON carries it as data, but an MCP server's
 *   request parsing (the SDK copies arguments by assignment) turns it into the arguments'
 *   prototype, so the server would read fields no budget or approver saw. `constructor` and
 *   `prototype` are ordinary keys.
 * - **Keys** are sorted by UTF-16 code unit in the canonical text (`canonicalText`).
 * - **Symbols and functions**: the sandbox's encoder drops them as properties and sends `null`
 *   in arrays, as JSON does; given directly to `canonicalizeArgs` they are refused.
 * - **Other objects** (class instances, typed arrays, `ArrayBuffer`, `RegExp`, boxed
 *   primitives) and **accessor properties**: the sandbox sends only plain data (its encoder
 *   reads a getter once and calls `toJSON`; a typed array arrives as an object of index keys),
 *   so the host sees plain objects; given directly, anything but plain objects and arrays of
 *   data properties is refused.
 * - Values nested deeper than `MAX_DEPTH` levels are refused.
 *
 * A refusal is a `CanonicalArgsError` (code `INVALID_ARGUMENTS`) naming the JSON path of the
 * offending value, e.g. `$.lines[2].qty`.
 */
import { MAX_DEPTH } from "./wire.js";

/** A canonical JSON value: plain data, deep-frozen. */
export type CanonicalJson = null | boolean | number | string | readonly CanonicalJson[] | CanonicalObject;

/** A canonical JSON object (no prototype tricks: keys are own data properties). */
export interface CanonicalObject {
  readonly [key: string]: CanonicalJson;
}

/** A tool call's arguments as every consumer sees them: always an object. */
export type CanonicalArgs = CanonicalObject;

/** Arguments that cannot be made canonical. Nothing was sent. */
export class CanonicalArgsError extends Error {
  override name = "CanonicalArgsError";
  readonly code = "INVALID_ARGUMENTS" as const;
  /** JSON path of the offending value, e.g. `$.lines[2].qty`. */
  readonly path: string;
  constructor(path: string, problem: string, fix: string) {
    super(`argument ${path} ${problem}; nothing was sent. ${fix}`);
    this.path = path;
  }
}

const made = new WeakSet<object>();
const texts = new WeakMap<object, string>();

/**
 * Turns decoded arguments into the canonical call's arguments (rules above): a new deep-frozen
 * plain-JSON object. Throws `CanonicalArgsError` with the path of the first value it refuses.
 */
export function canonicalizeArgs(value: unknown): CanonicalArgs {
  const out = value === undefined ? freeze({}) : canonicalizeValue(value);
  if (out === null || typeof out !== "object" || Array.isArray(out)) {
    throw new CanonicalArgsError(
      "$",
      `is ${describe(value)}, but a tool's arguments must be an object`,
      "Pass one object of named arguments, e.g. tool({ id: 1 }).",
    );
  }
  made.add(out);
  return out as CanonicalArgs;
}

/** The canonical form of any value (same rules as `canonicalizeArgs`, without the object requirement). */
export function canonicalizeValue(value: unknown): CanonicalJson {
  const out = convert(value, "$", []);
  return out === SKIP ? null : out;
}

/** True when `value` was made by `canonicalizeArgs` (so it is deep-frozen canonical data). */
export function isCanonicalArgs(value: unknown): value is CanonicalArgs {
  return typeof value === "object" && value !== null && made.has(value);
}

/** `value` when it is already canonical arguments, else `canonicalizeArgs(value)`. */
export function ensureCanonicalArgs(value: unknown): CanonicalArgs {
  return isCanonicalArgs(value) ? value : canonicalizeArgs(value);
}

/**
 * The canonical text of a canonical value: JSON with object keys sorted by UTF-16 code unit and
 * no whitespace. The same value always gives the same text; it is what digests and idempotency
 * keys hash. Computed once per canonical arguments object.
 */
export function canonicalText(value: CanonicalJson): string {
  if (value !== null && typeof value === "object") {
    const cached = texts.get(value);
    if (cached !== undefined) return cached;
    const text = write(value);
    if (made.has(value)) texts.set(value, text);
    return text;
  }
  return write(value);
}

function write(value: CanonicalJson): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(write).join(",")}]`;
  const record = value as CanonicalObject;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort(byCodeUnit)) {
    parts.push(`${JSON.stringify(key)}:${write(record[key] as CanonicalJson)}`);
  }
  return `{${parts.join(",")}}`;
}

const SKIP = Symbol("skip");

function convert(value: unknown, path: string, stack: object[]): CanonicalJson | typeof SKIP {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return number(value, path);
    case "bigint":
      if (value >= -BigInt(Number.MAX_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
        return Number(value);
      }
      throw new CanonicalArgsError(
        path,
        `is the BigInt ${value}, outside ±${Number.MAX_SAFE_INTEGER}`,
        "Pass an amount that fits (e.g. minor units as a safe integer), or a string if the tool takes one.",
      );
    case "undefined":
      return SKIP;
    case "symbol":
    case "function":
      throw new CanonicalArgsError(
        path,
        `is a ${typeof value}`,
        "Pass data only (strings, numbers, objects).",
      );
  }
  if (value === null) return null;
  const obj = value as object;
  if (stack.includes(obj)) {
    throw new CanonicalArgsError(
      path,
      "refers back to a value that contains it (a cycle)",
      "Pass a tree of plain data.",
    );
  }
  if (stack.length >= MAX_DEPTH) {
    throw new CanonicalArgsError(path, `is nested deeper than ${MAX_DEPTH} levels`, "Flatten the arguments.");
  }
  if (obj instanceof Date) {
    const t = obj.getTime();
    if (Number.isNaN(t)) throw new CanonicalArgsError(path, "is an invalid Date", "Pass a valid date.");
    return obj.toISOString();
  }
  stack.push(obj);
  try {
    if (Array.isArray(obj)) return array(obj, path, stack);
    if (obj instanceof Set) return freeze([...obj].map((v, i) => orNull(convert(v, `${path}[${i}]`, stack))));
    if (obj instanceof Map) return fromMap(obj, path, stack);
    if (obj instanceof Error) return fromError(obj, path);
    return plainObject(obj, path, stack);
  } finally {
    stack.pop();
  }
}

function number(value: number, path: string): number {
  if (!Number.isFinite(value)) {
    throw new CanonicalArgsError(path, `is ${value}, which JSON cannot carry`, "Pass a finite number.");
  }
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    throw new CanonicalArgsError(
      path,
      `is ${value}, beyond ±${Number.MAX_SAFE_INTEGER} where JSON parsers disagree`,
      "Pass a smaller number, or a string if the tool takes one.",
    );
  }
  return value === 0 ? 0 : value;
}

function array(obj: unknown[], path: string, stack: object[]): readonly CanonicalJson[] {
  const out: CanonicalJson[] = new Array(obj.length);
  for (let i = 0; i < obj.length; i++) {
    const d = Object.getOwnPropertyDescriptor(obj, i);
    if (d && !("value" in d)) throw accessor(`${path}[${i}]`);
    out[i] = orNull(convert(d?.value, `${path}[${i}]`, stack));
  }
  return freeze(out);
}

function fromMap(obj: Map<unknown, unknown>, path: string, stack: object[]): CanonicalObject {
  const entries: Array<[string, unknown]> = [];
  for (const [k, v] of obj) {
    if (typeof k !== "string") {
      throw new CanonicalArgsError(
        path,
        `is a Map with a key that is not a string (${describe(k)})`,
        "Use string keys, or a plain object.",
      );
    }
    entries.push([k, v]);
  }
  return objectFrom(entries, path, stack);
}

function fromError(obj: Error, path: string): CanonicalObject {
  const out: Record<string, CanonicalJson> = {};
  const code = (obj as { code?: unknown }).code;
  if (typeof code === "string") out.code = code;
  else if (typeof code === "number") out.code = number(code, `${path}.code`);
  out.message = String(obj.message);
  out.name = String(obj.name);
  return freeze(out);
}

function plainObject(obj: object, path: string, stack: object[]): CanonicalObject {
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalArgsError(
      path,
      `is ${describe(obj)}, not plain data`,
      "Pass plain objects and arrays (e.g. Array.from(bytes) for a typed array).",
    );
  }
  const entries: Array<[string, unknown]> = [];
  for (const key of Object.keys(obj)) {
    const d = Object.getOwnPropertyDescriptor(obj, key) as PropertyDescriptor;
    if (!("value" in d)) throw accessor(`${path}${member(key)}`);
    entries.push([key, d.value]);
  }
  return objectFrom(entries, path, stack);
}

function objectFrom(entries: Array<[string, unknown]>, path: string, stack: object[]): CanonicalObject {
  entries.sort((a, b) => byCodeUnit(a[0], b[0]));
  const out: Record<string, CanonicalJson> = {};
  for (const [key, v] of entries) {
    if (key === "__proto__") {
      throw new CanonicalArgsError(
        `${path}.__proto__`,
        "is a key servers read as a prototype, not as data",
        "Rename the key.",
      );
    }
    const c = convert(v, `${path}${member(key)}`, stack);
    if (c !== SKIP) out[key] = c;
  }
  return freeze(out);
}

function accessor(path: string): CanonicalArgsError {
  return new CanonicalArgsError(path, "is a getter or setter, not data", "Pass plain values.");
}

function orNull(v: CanonicalJson | typeof SKIP): CanonicalJson {
  return v === SKIP ? null : v;
}

function freeze<T extends object>(value: T): T {
  return Object.freeze(value);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `.name` for identifier keys, `["odd key"]` otherwise, as in `$.lines[2]["unit price"]`. */
function member(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor
      ?.name;
    return typeof name === "string" && name ? `a ${name}` : "an object";
  }
  if (typeof value === "string") return "a string";
  return `${typeof value} ${String(value)}`;
}

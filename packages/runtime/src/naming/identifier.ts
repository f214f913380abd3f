/** Words that can never be a JS binding name, in any mode (strict mode included), plus names that mislead. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN Infinity " +
    "async of get set constructor prototype __proto__ __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__ " +
    "hasOwnProperty isPrototypeOf propertyIsEnumerable toLocaleString toString valueOf then toJSON"
  ).split(" "),
);

/**
 * Globals of the sandbox a namespace must not shadow (the program and the prelude use them).
 */
export const RESERVED_GLOBALS: ReadonlySet<string> = new Set(
  (
    "globalThis console Object Array String Number Boolean Symbol BigInt Math JSON Date RegExp Error TypeError " +
    "RangeError SyntaxError ReferenceError EvalError URIError AggregateError Promise Proxy Reflect Map Set WeakMap " +
    "WeakSet WeakRef FinalizationRegistry ArrayBuffer SharedArrayBuffer DataView Atomics Function Intl " +
    "Int8Array Uint8Array Uint8ClampedArray Int16Array Uint16Array Int32Array Uint32Array Float32Array Float64Array " +
    "BigInt64Array BigUint64Array parseInt parseFloat isNaN isFinite encodeURI decodeURI encodeURIComponent " +
    "decodeURIComponent escape unescape setTimeout clearTimeout setInterval clearInterval queueMicrotask " +
    "ToolCallError structuredClone"
  ).split(" "),
);

/**
 * Turns any MCP tool or server name into a valid, ASCII-only JavaScript identifier, the same
 * in every engine (TypeScript, QuickJS, V8). Deterministic: the same name always gives the
 * same identifier. snake_case names pass through unchanged (`pipeline_summary` stays).
 * Accents are dropped (`créer` -> `creer`); other non-ASCII characters become `uXXXX`.
 */
export function toIdentifier(name: string, reserved: ReadonlySet<string> = RESERVED_WORDS): string {
  const folded = name.normalize("NFKD").replace(/\p{M}/gu, "");
  let id = "";
  for (const ch of folded) {
    if (/[A-Za-z0-9_$]/.test(ch)) id += ch;
    else if ((ch.codePointAt(0) ?? 0) > 0x7f)
      id += `${id && !id.endsWith("_") ? "_" : ""}u${(ch.codePointAt(0) ?? 0).toString(16)}`;
    else id += "_";
  }
  if (id === "" || /^[0-9]/.test(id)) id = `_${id}`;
  if (reserved.has(id)) id = `${id}_`;
  return id;
}

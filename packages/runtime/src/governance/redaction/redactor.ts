import type { ToolResult } from "../../pipeline/types.js";
import { createScrubber } from "./scrubber.js";
import { escapeRegex, MIN_SECRET_LENGTH, secretPatterns } from "./secret-patterns.js";
import { redactToolResult } from "./tool-result.js";

export { MIN_SECRET_LENGTH } from "./secret-patterns.js";

/** What a redactor hides. */
export interface RedactionOptions {
  /**
   * Secret values (API keys, tokens), each at least {@link MIN_SECRET_LENGTH} characters (a
   * shorter one throws `GovernanceUsageError`; empty strings are ignored). Every occurrence is
   * replaced, in any string, number or key, anywhere, in the forms listed on {@link createRedactor}.
   */
  secrets?: readonly string[];
  /** Field names holding personal data (`email`, `phone`): their values are replaced (case-insensitive). */
  piiFields?: readonly string[];
  /** Replacement text; default `[REDACTED]`. */
  placeholder?: string;
}

/** Replaces configured secrets (and optionally PII fields) in strings, values and errors. */
export interface Redactor {
  /** Secrets (and, with `pii`, `"field": value` pairs) replaced in one string. */
  text(input: string, options?: { pii?: boolean }): string;
  /**
   * A deep copy with secrets replaced in every string and key, every number equal to a numeric
   * secret, and every byte array holding one; with `pii`, PII fields' values replaced.
   */
  value<T>(input: T, options?: { pii?: boolean }): T;
  /**
   * A tool result as the program will receive it, redacted: structured content, and each text
   * content parsed the way the host parses it (JSON when it looks like JSON), redacted, and
   * re-serialised when anything was hidden, so the bytes that reach the sandbox hold no secret.
   */
  toolResult(result: ToolResult): ToolResult;
  /** True when the string still contains a configured secret in any recognised form. */
  leaks(input: string): boolean;
}

/**
 * Builds a redactor. A secret is recognised plain and reversed; in each Unicode normal form (and
 * inside text that only shows it once normalised to NFC or NFKC); with any character JSON/JS
 * escaped (`\u0073`, `\/`), percent-encoded (`encodeURIComponent`, form `+`), or as an HTML
 * character reference; as hex in any case; as base64 or base64url, padded or not, alone or
 * anywhere inside a longer blob (a Basic header's `user:secret`); inside a blob that decodes
 * (base64 or hex, up to two layers) to text holding it; and, for a numeric secret, as a number.
 * Plain and escaped forms are replaced where found; an encoded blob is replaced whole. Not
 * caught: a secret split into pieces, or in an encoding not listed (encrypted, compressed,
 * custom). Cost: the forms are compiled once into two regular expressions, so each string is
 * scanned in linear time.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const placeholder = options.placeholder ?? "[REDACTED]";
  const patterns = secretPatterns(options.secrets ?? []);
  const hasSecrets = patterns.text !== undefined;
  const scrub = hasSecrets ? createScrubber(patterns, placeholder) : (s: string) => s;
  const pii = new Set((options.piiFields ?? []).map((f) => f.toLowerCase()));
  const piiNames = [...pii].map(escapeRegex).join("|");
  // `"email": "a@b.c"`, `"email":123`, `email=a@b.c` and `email: a@b.c` inside free text.
  const piiRegex = pii.size
    ? new RegExp(
        `("(?:${piiNames})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|[^,}\\]\\s]+)|\\b((?:${piiNames})\\s*[=:]\\s*)([^\\s,;&"'}]+)`,
        "gi",
      )
    : undefined;

  const text = (input: string, opts?: { pii?: boolean }): string => {
    let out = scrub(input);
    if (opts?.pii && piiRegex) {
      out = out.replace(piiRegex, (_m, jsonKey, _jsonValue, freeKey) =>
        jsonKey !== undefined ? `${jsonKey}"${placeholder}"` : `${freeKey}${placeholder}`,
      );
    }
    return out;
  };

  const numberLeaks = (n: number | bigint): boolean => {
    if (!hasSecrets) return false;
    if (patterns.numbers.has(Number(n))) return true;
    const digits = String(n);
    return digits.length >= MIN_SECRET_LENGTH && scrub(digits) !== digits;
  };

  // An array spelling a secret out, one character, code point or byte per item: `["s","k",...]`,
  // `[115, 107, ...]` (the program's `[...s].map((c) => c.charCodeAt(0))`) or UTF-8 bytes.
  const spellsSecret = (items: unknown[]): boolean => {
    if (!hasSecrets || items.length < MIN_SECRET_LENGTH) return false;
    if (items.every((x) => typeof x === "string")) {
      const joined = items.join("");
      return scrub(joined) !== joined;
    }
    if (!items.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0x10ffff))
      return false;
    const codes = items as number[];
    let spelled = "";
    // In slices: spreading a very long array into one call overflows the stack.
    for (let i = 0; i < codes.length; i += 8192) spelled += String.fromCodePoint(...codes.slice(i, i + 8192));
    const views = [spelled];
    if (codes.every((c) => c <= 0xff)) views.push(new TextDecoder().decode(Uint8Array.from(codes)));
    return views.some((v) => scrub(v) !== v);
  };

  /** Deep copy with replacements; `hits` counts them so callers can tell whether anything changed. */
  const walk = (
    input: unknown,
    withPii: boolean,
    seen: WeakMap<object, unknown>,
    hits: { n: number },
  ): unknown => {
    if (typeof input === "string") {
      const out = text(input, { pii: withPii });
      if (out !== input) hits.n++;
      return out;
    }
    if (typeof input === "number" || typeof input === "bigint") {
      if (!numberLeaks(input)) return input;
      hits.n++;
      return placeholder;
    }
    if (input === null || typeof input !== "object") return input;
    if (seen.has(input)) return seen.get(input);
    if (input instanceof Date) return input;
    if (ArrayBuffer.isView(input) || input instanceof ArrayBuffer) {
      const bytes = ArrayBuffer.isView(input)
        ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
        : new Uint8Array(input);
      const asText = new TextDecoder().decode(bytes);
      if (scrub(asText) === asText) return input;
      hits.n++;
      return placeholder;
    }
    if (Array.isArray(input)) {
      if (spellsSecret(input)) {
        hits.n++;
        return placeholder;
      }
      const copy: unknown[] = [];
      seen.set(input, copy);
      for (const item of input) copy.push(walk(item, withPii, seen, hits));
      return copy;
    }
    if (input instanceof Map) {
      const copy = new Map();
      seen.set(input, copy);
      for (const [k, v] of input) copy.set(walk(k, withPii, seen, hits), walk(v, withPii, seen, hits));
      return copy;
    }
    if (input instanceof Set) {
      const copy = new Set();
      seen.set(input, copy);
      for (const v of input) copy.add(walk(v, withPii, seen, hits));
      return copy;
    }
    let copy: Record<string, unknown>;
    if (input instanceof Error) {
      // `message` and `stack` are not enumerable: copy them explicitly, redacted.
      const error = new Error(walk(input.message, withPii, seen, hits) as string);
      error.name = walk(input.name, withPii, seen, hits) as string;
      error.stack =
        input.stack === undefined ? undefined : (walk(input.stack, withPii, seen, hits) as string);
      copy = error as unknown as Record<string, unknown>;
    } else copy = {};
    seen.set(input, copy);
    for (const [k, v] of Object.entries(input)) {
      const key = text(k);
      if (key !== k) hits.n++;
      // defineProperty: a `__proto__` key stays an own data property instead of setting the prototype.
      Object.defineProperty(copy, key, {
        value: withPii && pii.has(k.toLowerCase()) ? placeholder : walk(v, withPii, seen, hits),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  };

  const redactValue = (input: unknown, withPii = false) => {
    const hits = { n: 0 };
    const value = walk(input, withPii, new WeakMap(), hits);
    return { value, changed: hits.n > 0 };
  };

  return {
    text,
    value: <T>(input: T, opts?: { pii?: boolean }): T => redactValue(input, opts?.pii === true).value as T,
    toolResult: (result) => (hasSecrets ? redactToolResult(result, redactValue, scrub, placeholder) : result),
    leaks: (input) => hasSecrets && scrub(input) !== input,
  };
}

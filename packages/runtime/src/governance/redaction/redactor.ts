/** What a redactor hides. */
export interface RedactionOptions {
  /** Secret values (API keys, tokens). Every occurrence is replaced, in any string, anywhere. */
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
  /** A deep copy with secrets replaced in every string and key; with `pii`, PII fields' values replaced. */
  value<T>(input: T, options?: { pii?: boolean }): T;
  /** True when the string still contains a configured secret. */
  leaks(input: string): boolean;
}

/**
 * Builds a redactor. Besides each secret's raw form it also hides the forms a tool or a
 * program most often turns it into: JSON-escaped, URL-encoded and base64. Empty secrets are
 * ignored (they would match everywhere); longer secrets are replaced first so one secret that
 * contains another is hidden whole.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const placeholder = options.placeholder ?? "[REDACTED]";
  const forms = new Set<string>();
  for (const secret of options.secrets ?? []) {
    if (!secret) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
    forms.add(toBase64(secret));
  }
  const ordered = [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
  const secretRegex = ordered.length ? new RegExp(ordered.map(escapeRegex).join("|"), "g") : undefined;
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
    let out = secretRegex ? input.replace(secretRegex, placeholder) : input;
    if (opts?.pii && piiRegex) {
      out = out.replace(piiRegex, (_m, jsonKey, _jsonValue, freeKey) =>
        jsonKey !== undefined ? `${jsonKey}"${placeholder}"` : `${freeKey}${placeholder}`,
      );
    }
    return out;
  };

  const value = <T>(input: T, opts?: { pii?: boolean }): T =>
    walk(input, opts?.pii === true, new WeakMap()) as T;

  const walk = (input: unknown, withPii: boolean, seen: WeakMap<object, unknown>): unknown => {
    if (typeof input === "string") return text(input, { pii: withPii });
    if (input === null || typeof input !== "object") return input;
    if (seen.has(input)) return seen.get(input);
    if (Array.isArray(input)) {
      const copy: unknown[] = [];
      seen.set(input, copy);
      for (const item of input) copy.push(walk(item, withPii, seen));
      return copy;
    }
    if (input instanceof Date) return input;
    if (input instanceof Map) {
      const copy = new Map();
      seen.set(input, copy);
      for (const [k, v] of input) copy.set(walk(k, withPii, seen), walk(v, withPii, seen));
      return copy;
    }
    if (input instanceof Set) {
      const copy = new Set();
      seen.set(input, copy);
      for (const v of input) copy.add(walk(v, withPii, seen));
      return copy;
    }
    const copy: Record<string, unknown> = {};
    seen.set(input, copy);
    for (const [k, v] of Object.entries(input)) {
      copy[text(k)] = withPii && pii.has(k.toLowerCase()) ? placeholder : walk(v, withPii, seen);
    }
    return copy;
  };

  return { text, value, leaks: (input) => (secretRegex ? new RegExp(secretRegex).test(input) : false) };
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

function toBase64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

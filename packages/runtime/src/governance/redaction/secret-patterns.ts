// Precomputes, once per redactor, every form of every configured secret that redaction looks
// for, as two combined regular expressions of escaped literals (one pass each per string).

import { GovernanceUsageError } from "../errors.js";
import { base64Core, hex, stripInvisible, utf8 } from "./encodings.js";

/**
 * Shortest secret a redactor accepts, in characters. Shorter values (a PIN, a year, a word) also
 * occur in ordinary data, so hiding them and their encodings would corrupt honest results.
 */
export const MIN_SECRET_LENGTH = 8;

/** The compiled forms of a set of secrets. */
export interface SecretPatterns {
  /**
   * Each secret plain or reversed, in any letter case, in NFC, NFD, NFKC and NFKD, where every character may also
   * appear as a JSON/JS escape (`\u0073`, `\x73`, `\/`), percent-encoded (any case, `+` for
   * space) or an HTML character reference; and its bytes as hex written apart (`73 6b`, `0x73,`).
   * Replaced where found.
   */
  text: RegExp | undefined;
  /** Hex (any case) and base64/base64url at all three byte alignments: a blob holding one is replaced whole. */
  blob: RegExp | undefined;
  /** Length of the shortest blob form: a shorter run of base64 characters cannot hold a secret. */
  minBlob: number;
  /** The numeric secrets as numbers, so a tool cannot hand one back as a JSON number. */
  numbers: ReadonlySet<number>;
}

/**
 * Compiles the forms of `secrets`. Throws `GovernanceUsageError` for a secret shorter than
 * {@link MIN_SECRET_LENGTH} characters (the message never contains the secret). Empty strings
 * are ignored: an unset value has nothing to hide.
 */
export function secretPatterns(secrets: readonly string[]): SecretPatterns {
  const textForms = new Map<string, number>();
  const blobForms = new Map<string, number>();
  const numbers = new Set<number>();
  secrets.forEach((secret, i) => {
    if (secret === "") return;
    const length = [...secret.normalize("NFC")].length;
    if (length < MIN_SECRET_LENGTH) {
      throw new GovernanceUsageError(
        `Secret #${i + 1} to redact has ${length} characters; redaction needs at least ${MIN_SECRET_LENGTH}, because shorter values also occur in ordinary data and hiding them would corrupt results. Pass the whole token, not a fragment.`,
      );
    }
    for (const form of variants(secret)) {
      for (const text of new Set([form, reverseCodePoints(form), reverseUnits(form)])) {
        textForms.set(flexible(text), text.length);
      }
      const bytes = utf8(form);
      blobForms.set(anyCaseHex(hex(bytes)), bytes.length * 2);
      // Hex bytes written apart, as dumps and code do: `73 6b`, `73:6b`, `0x73, 0x6b`, `\x73\x6b`.
      textForms.set(separatedHex(bytes), bytes.length * 2);
      for (const alignment of [0, 1, 2] as const) {
        const core = base64Core(bytes, alignment);
        blobForms.set(escapeRegex(core), core.length);
        const urlCore = core.replace(/\+/g, "-").replace(/\//g, "_");
        blobForms.set(escapeRegex(urlCore), urlCore.length);
      }
      const n = numericValue(form);
      if (n !== undefined) numbers.add(n);
    }
  });
  return {
    // Text forms ignore case (a secret upper- or lower-cased is still the secret); base64 cannot.
    text: combine(textForms, "gi"),
    blob: combine(blobForms, "g"),
    minBlob: Math.min(...blobForms.values()),
    numbers,
  };
}

/** The secret in each Unicode normal form, so a tool that re-normalises it is still caught. */
function variants(secret: string): Set<string> {
  const forms = new Set([
    secret,
    ...(["NFC", "NFD", "NFKC", "NFKD"] as const).map((f) => secret.normalize(f)),
  ]);
  // What the scrubber's invisible-free view makes of the secret itself, unless too short to be safe.
  const visible = stripInvisible(secret).normalize("NFKC");
  if ([...visible].length >= MIN_SECRET_LENGTH) forms.add(visible);
  return forms;
}

// Longest forms first, so a secret that contains another is hidden whole.
function combine(forms: Map<string, number>, flags: string): RegExp | undefined {
  if (forms.size === 0) return undefined;
  const ordered = [...forms].sort((a, b) => b[1] - a[1]).map(([source]) => source);
  return new RegExp(ordered.join("|"), flags);
}

/** A pattern matching `text` with each character plain or escaped in any of the common ways. */
function flexible(text: string): string {
  let out = "";
  for (const ch of text) out += charPattern(ch);
  return out;
}

const JSON_SHORT: Record<string, string> = {
  '"': String.raw`\\"`,
  "\\": String.raw`\\\\`,
  "/": String.raw`\\/`,
  "\b": String.raw`\\b`,
  "\f": String.raw`\\f`,
  "\n": String.raw`\\n`,
  "\r": String.raw`\\r`,
  "\t": String.raw`\\t`,
};

function charPattern(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  const alternatives = [escapeRegex(ch)];
  let units = "";
  for (let i = 0; i < ch.length; i++)
    units += String.raw`\\u${anyCaseHex(ch.charCodeAt(i).toString(16).padStart(4, "0"))}`;
  alternatives.push(units);
  if (cp > 0xffff) alternatives.push(String.raw`\\u\{0*${anyCaseHex(cp.toString(16))}\}`);
  const short = JSON_SHORT[ch];
  if (short) alternatives.push(short);
  if (cp < 0x100) alternatives.push(String.raw`\\x${anyCaseHex(cp.toString(16).padStart(2, "0"))}`);
  const loneSurrogate = cp >= 0xd800 && cp <= 0xdfff;
  if (!loneSurrogate) {
    let percent = "";
    for (const b of utf8(ch)) percent += `%${anyCaseHex(b.toString(16).padStart(2, "0"))}`;
    alternatives.push(percent, `&#0*${cp};`, `&#[xX]0*${anyCaseHex(cp.toString(16))};`);
  }
  if (ch === " ") alternatives.push(String.raw`\+`);
  return `(?:${alternatives.join("|")})`;
}

function separatedHex(bytes: Uint8Array): string {
  return [...bytes]
    .map((b) => `(?:0[xX]|\\\\[xX])?${anyCaseHex(b.toString(16).padStart(2, "0"))}`)
    .join("[\\s:.,;-]{0,2}");
}

function anyCaseHex(digits: string): string {
  return digits.replace(/[a-fA-F]/g, (d) => `[${d.toLowerCase()}${d.toUpperCase()}]`);
}

export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

function reverseCodePoints(s: string): string {
  return [...s].reverse().join("");
}

// `s.split("").reverse()` splits surrogate pairs; a program may reverse that way.
function reverseUnits(s: string): string {
  return s.split("").reverse().join("");
}

// A numeric secret with at least MIN_SECRET_LENGTH significant digits, as the number a JSON
// parser would make of it. Fewer digits (`00000001`) would match everyday numbers.
function numericValue(form: string): number | undefined {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(form)) return undefined;
  const mantissa = form
    .replace(/[eE].*$/, "")
    .replace(/\D/g, "")
    .replace(/^0+/, "");
  const n = Number(form);
  return mantissa.length >= MIN_SECRET_LENGTH && Number.isFinite(n) ? n : undefined;
}

// Finds secrets in one string: encoded blobs first (replaced whole), then plain and escaped
// forms (replaced where found), then the same in the string's other views: NFC, NFKC, NFKC
// without invisible characters, and percent-decoded (for a secret encoded twice).

import { decodeBase64, decodeHex, longestTextSpan, stripInvisible, utf8Text } from "./encodings.js";
import { MIN_SECRET_LENGTH, type SecretPatterns } from "./secret-patterns.js";

/** How many encodings deep a blob is decoded (base64 of hex of a secret is two). */
export const DECODE_DEPTH = 2;

const HEX_RUN = /^[0-9a-fA-F]+$/;
const PERCENT = /%[0-9A-Fa-f]{2}/;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Returns a function that replaces every configured secret in a string with `placeholder`.
 * Linear in the input: each view (raw, decoded blobs and percent-decoding up to
 * {@link DECODE_DEPTH} layers, NFC, NFKC, NFKC without invisible characters) is scanned once by
 * two precompiled regular expressions.
 */
export function createScrubber(patterns: SecretPatterns, placeholder: string): (input: string) => string {
  const { text, blob, minBlob } = patterns;
  const flat = (input: string, depth: number): string => {
    const out = blob
      ? replaceRuns(input, minBlob, (run) => (blobLeaks(run, depth) ? placeholder : run))
      : input;
    return text ? out.replace(text, placeholder) : out;
  };

  // A string whose secret only shows in another view (normalised, invisible characters removed,
  // percent-decoded once more) is returned as that view, secret replaced. Binary decoded from a
  // blob (it holds U+FFFD) is not text: only its raw view is searched.
  const scrub = (input: string, depth: number, binary = false): string => {
    let out = flat(input, depth);
    if (binary) return out;
    if (NON_ASCII.test(out)) {
      for (const view of [nfc, nfkc, visible]) {
        const shown = view(out);
        if (shown === out) continue;
        const scrubbed = flat(shown, depth);
        if (scrubbed !== shown) out = scrubbed;
      }
    }
    if (depth > 0 && PERCENT.test(out)) {
      const decoded = percentDecode(out);
      const scrubbed = scrub(decoded, depth - 1);
      if (scrubbed !== decoded) out = scrubbed;
    }
    return out;
  };

  const blobLeaks = (run: string, depth: number): boolean => {
    if (blob && run.search(blob) >= 0) return true;
    if (depth === 0) return false;
    const candidates = [decodeBase64(run)];
    if (HEX_RUN.test(run)) candidates.push(decodeHex(run, 0), decodeHex(run, 1));
    return candidates.some((bytes) => {
      // Any form of a secret is at least MIN_SECRET_LENGTH characters that decode cleanly; most
      // runs that are words, not base64, decode to bytes with no such span and stop here.
      if (longestTextSpan(bytes) < MIN_SECRET_LENGTH) return false;
      const decoded = utf8Text(bytes);
      return scrub(decoded, depth - 1, decoded.includes("\uFFFD")) !== decoded;
    });
  };

  return (input) => scrub(input, DECODE_DEPTH);
}

const nfc = (s: string) => s.normalize("NFC");
const nfkc = (s: string) => s.normalize("NFKC");
// Stripped first, then normalised: a combining mark split off its letter by an invisible
// character composes with it again.
const visible = (s: string) => stripInvisible(s).normalize("NFKC");

/** Each run of `%XX` escapes decoded as UTF-8 bytes (invalid sequences become U+FFFD). */
function percentDecode(input: string): string {
  return input.replace(PERCENT_RUN, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);
    return utf8Text(bytes);
  });
}

// Base64, base64url and hex characters.
const RUN_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")
  RUN_CHAR[c.charCodeAt(0)] = 1;
const isRunChar = (code: number) => code < 128 && RUN_CHAR[code] === 1;

/**
 * Replaces each whole run of base64/hex characters (with up to two `=` after it) at least
 * `minLength` long by `replace(run)`. A hand-written scan: one pass, no regex backtracking state
 * on a megabyte-long run.
 */
function replaceRuns(input: string, minLength: number, replace: (run: string) => string): string {
  let out = "";
  let copied = 0;
  let i = 0;
  while (i < input.length) {
    if (!isRunChar(input.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < input.length && isRunChar(input.charCodeAt(i))) i++;
    if (i - start < minLength) continue;
    let end = i;
    while (end < input.length && end - i < 2 && input.charCodeAt(end) === 61) end++;
    const run = input.slice(start, end);
    const replaced = replace(run);
    if (replaced !== run) {
      out += input.slice(copied, start) + replaced;
      copied = end;
    }
    i = end;
  }
  return copied === 0 ? input : out + input.slice(copied);
}

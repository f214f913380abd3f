// Finds secrets in one string: encoded blobs first (replaced whole), then plain and escaped
// forms (replaced where found), then the same in the string's NFC and NFKC forms.

import { decodeBase64, decodeHex, utf8Text } from "./encodings.js";
import { MIN_SECRET_LENGTH, type SecretPatterns } from "./secret-patterns.js";

/** How many encodings deep a blob is decoded (base64 of hex of a secret is two). */
export const DECODE_DEPTH = 2;

const HEX_RUN = /^[0-9a-fA-F]+$/;
const NON_ASCII = /[\u0080-\uffff]/;
// Any form of a secret is at least MIN_SECRET_LENGTH characters that decoded cleanly; most
// runs that are words, not base64, decode to bytes with no such span and are dropped here.
const TEXT_SPAN = new RegExp(`[^\uFFFD]{${MIN_SECRET_LENGTH}}`);

/**
 * Returns a function that replaces every configured secret in a string with `placeholder`.
 * Linear in the input: each view (raw, decoded blobs up to {@link DECODE_DEPTH}, NFC, NFKC) is
 * scanned once by two precompiled regular expressions.
 */
export function createScrubber(patterns: SecretPatterns, placeholder: string): (input: string) => string {
  const { text, blob, minBlob } = patterns;
  const flat = (input: string, depth: number): string => {
    const out = blob
      ? replaceRuns(input, minBlob, (run) => (blobLeaks(run, depth) ? placeholder : run))
      : input;
    return text ? out.replace(text, placeholder) : out;
  };

  // A string whose secret only shows once normalised is returned normalised, secret replaced.
  // Binary decoded from a blob (it holds U+FFFD) is not text: its normal forms are not searched.
  const scrub = (input: string, depth: number, binary = false): string => {
    let out = flat(input, depth);
    if (binary || !NON_ASCII.test(out)) return out;
    for (const form of ["NFC", "NFKC"] as const) {
      const normal = out.normalize(form);
      if (normal === out) continue;
      const scrubbed = flat(normal, depth);
      if (scrubbed !== normal) out = scrubbed;
    }
    return out;
  };

  const blobLeaks = (run: string, depth: number): boolean => {
    if (blob && run.search(blob) >= 0) return true;
    if (depth === 0) return false;
    const decoded = [utf8Text(decodeBase64(run))];
    if (HEX_RUN.test(run)) decoded.push(utf8Text(decodeHex(run, 0)), utf8Text(decodeHex(run, 1)));
    return decoded.some((d) => TEXT_SPAN.test(d) && scrub(d, depth - 1, d.includes("\uFFFD")) !== d);
  };

  return (input) => scrub(input, DECODE_DEPTH);
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

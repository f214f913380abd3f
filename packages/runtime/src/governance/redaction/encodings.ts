// Byte-level encoders and tolerant decoders for the forms a secret is most often turned into.
// Kept free of Node APIs so redaction runs on every surface (Node, Workers).

const encoder = new TextEncoder();
// Not fatal (the default): a blob that is not valid UTF-8 still decodes, with U+FFFD where it breaks.
const decoder = new TextDecoder("utf-8");
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;
B64_INDEX["-".charCodeAt(0)] = 62;
B64_INDEX["_".charCodeAt(0)] = 63;

/** UTF-8 bytes of a string (a lone surrogate becomes U+FFFD, as every encoder does). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Bytes read as UTF-8; invalid sequences become U+FFFD so ASCII around them stays intact. Short
 * ASCII (most decoded blobs) skips TextDecoder, whose per-call cost dominates otherwise.
 */
export function utf8Text(bytes: ArrayLike<number>): string {
  let ascii = bytes.length <= 4096;
  for (let i = 0; ascii && i < bytes.length; i++) ascii = (bytes[i] as number) < 0x80;
  if (ascii) return String.fromCharCode.apply(null, bytes as number[]);
  return decoder.decode(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
}

/** Standard base64 with padding. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Lower-case hex of each byte. */
export function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/**
 * Decodes base64 or base64url, with or without padding. Trailing bits that do not make a whole
 * byte are dropped, so a blob cut short still yields every complete byte it holds. Short runs
 * (the common case: words and ids) decode into a plain array, whose allocation costs less than a
 * typed array's; long blobs into a typed array.
 */
export function decodeBase64(run: string): ArrayLike<number> {
  const size = Math.floor((run.length * 3) / 4);
  const bytes: number[] | Uint8Array = size > 256 ? new Uint8Array(size) : [];
  let n = 0;
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < run.length; i++) {
    const code = run.charCodeAt(i);
    const v = code < 128 ? (B64_INDEX[code] as number) : -1;
    if (v < 0) break;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[n++] = (acc >> bits) & 0xff;
    }
  }
  return bytes instanceof Uint8Array ? bytes.subarray(0, n) : bytes;
}

/** Decodes hex digits starting at `offset` (0 or 1), two digits a byte, ignoring an odd last digit. */
export function decodeHex(run: string, offset: number): number[] {
  const bytes: number[] = [];
  for (let i = offset; i + 1 < run.length; i += 2) bytes.push(Number.parseInt(run.slice(i, i + 2), 16));
  return bytes;
}

/**
 * The part of `base64(prefix + bytes + suffix)` fixed by `bytes` alone, when `bytes` starts at
 * `alignment` (0, 1 or 2) bytes past a 3-byte boundary. Whatever surrounds the secret in a longer
 * blob (a Basic header's `user:`, a JSON document), one of the three cores appears in the blob.
 */
export function base64Core(bytes: Uint8Array, alignment: 0 | 1 | 2): string {
  const padded = new Uint8Array(alignment + bytes.length);
  padded.set(bytes, alignment);
  const encoded = base64(padded);
  const start = Math.ceil((8 * alignment) / 6);
  const end = Math.floor((8 * (alignment + bytes.length)) / 6);
  return encoded.slice(start, end);
}

// Characters that render as nothing (zero-width spaces and joiners, soft hyphen, bidi controls,
// variation selectors, tags): inserted between a secret's characters they hide it from a search.
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: U+034F (grapheme joiner) is removed on its own, on purpose.
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]|\uDB40[\uDC00-\uDFFF]/g;

/** The text without characters that render as nothing. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/**
 * The number of characters in the longest stretch of `bytes` that is well-formed UTF-8 (an upper
 * bound: overlong forms are not told apart). Lets a caller skip decoding bytes too garbled to
 * hold a secret of a given length, without a TextDecoder call per candidate.
 */
export function longestTextSpan(bytes: ArrayLike<number>): number {
  let best = 0;
  let current = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = ((bytes[i + k] as number) & 0xc0) === 0x80;
    if (ok) {
      current++;
      if (current > best) best = current;
      i += length;
    } else {
      current = 0;
      i++;
    }
  }
  return best;
}

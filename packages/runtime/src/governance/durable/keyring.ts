import { DurableRunError } from "./errors.js";

/**
 * HMAC keys continuations are signed with. `current` signs; every key in `keys` verifies, so a
 * key can be rotated by adding the new one as `current` and keeping the old one until the
 * continuations it signed have expired. Secrets are at least 32 bytes (UTF-8 for strings).
 */
export interface ContinuationKeys {
  current: string;
  keys: Record<string, string | Uint8Array>;
}

/** Smallest secret accepted, in bytes (HMAC-SHA-256's block is 64; 32 is its output size). */
export const MIN_KEY_BYTES = 32;

/** A keyring that signs and verifies with HMAC-SHA-256 through WebCrypto (Node, Workers, browsers). */
export interface Keyring {
  /** Key id and hex signature of `text` under the current key. */
  sign(text: string): Promise<{ kid: string; sig: string }>;
  /** Whether `sig` is the signature of `text` under key `kid` (false for an unknown key id). */
  verify(kid: string, text: string, sig: string): Promise<boolean>;
}

/** Validates the keys (throws `DURABLE_USAGE`) and builds the keyring. */
export function createKeyring(keys: ContinuationKeys): Keyring {
  const entries = Object.entries(keys?.keys ?? {});
  if (!keys || typeof keys.current !== "string" || !(keys.current in (keys.keys ?? {}))) {
    throw new DurableRunError(
      "DURABLE_USAGE",
      `the continuation keyring's current key id "${String(keys?.current)}" is not one of its keys (${entries.map(([k]) => k).join(", ") || "none"}); add it to keys`,
    );
  }
  const imported = new Map<string, Promise<HmacKey>>();
  for (const [kid, secret] of entries) {
    const bytes = typeof secret === "string" ? new TextEncoder().encode(secret) : secret;
    if (!(bytes instanceof Uint8Array) || bytes.length < MIN_KEY_BYTES) {
      throw new DurableRunError(
        "DURABLE_USAGE",
        `continuation key "${kid}" is shorter than ${MIN_KEY_BYTES} bytes; use a random secret of at least ${MIN_KEY_BYTES} bytes`,
      );
    }
    const key = crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    key.catch(() => {}); // awaited (and reported) where it is used
    imported.set(kid, key);
  }
  const encoder = new TextEncoder();
  return {
    async sign(text) {
      const key = await (imported.get(keys.current) as Promise<HmacKey>);
      const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
      return { kid: keys.current, sig: toHex(sig) };
    },
    async verify(kid, text, sig) {
      const key = imported.get(kid);
      const bytes = fromHex(sig);
      if (!key || !bytes) return false;
      // crypto.subtle.verify compares in constant time.
      return crypto.subtle.verify("HMAC", await key, bytes, encoder.encode(text));
    },
  };
}

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(text: string): Uint8Array | undefined {
  if (typeof text !== "string" || text.length !== 64 || !/^[0-9a-f]+$/.test(text)) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

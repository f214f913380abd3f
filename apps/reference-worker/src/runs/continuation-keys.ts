/**
 * The HMAC keys continuations are signed with, from the `CONTINUATION_KEYS` secret: either one
 * secret (at least 32 bytes; key id `k1`) or JSON `{"current":"k2","keys":{"k1":"…","k2":"…"}}`
 * for rotation (sign with `current`, verify with any, drop an old key once its continuations
 * have expired). Never a var: a key in the repository lets anyone who can write the Durable
 * Object's storage forge a run.
 */
import type { ContinuationKeys, ContinuationStore } from "@toolpacks/runtime";

/** Why durable runs cannot work in this deployment (no or malformed keys). */
export class ContinuationKeysError extends Error {
  readonly code = "CONTINUATION_KEYS_MISSING";
  constructor(message: string) {
    super(message);
    this.name = "ContinuationKeysError";
  }
}

const HOW =
  "set it with `wrangler secret put CONTINUATION_KEYS` (locally: a line CONTINUATION_KEYS=<32+ random bytes> in .dev.vars)";

/** Parses `CONTINUATION_KEYS`; throws `ContinuationKeysError` saying how to fix it. */
export function continuationKeys(secret: string | undefined): ContinuationKeys {
  const text = secret?.trim();
  if (!text)
    throw new ContinuationKeysError(
      `runs that wait for approval need the CONTINUATION_KEYS secret to sign their continuations; ${HOW}`,
    );
  if (!text.startsWith("{")) return { current: "k1", keys: { k1: text } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ContinuationKeysError(`CONTINUATION_KEYS starts with "{" but is not JSON; ${HOW}`);
  }
  const { current, keys } = (parsed ?? {}) as { current?: unknown; keys?: unknown };
  if (typeof current !== "string" || !keys || typeof keys !== "object")
    throw new ContinuationKeysError(
      'CONTINUATION_KEYS as JSON must be {"current": "<id>", "keys": {"<id>": "<secret>", ...}}',
    );
  return { current, keys: keys as Record<string, string> };
}

/**
 * The keys and store durable runs get in this deployment: the configured ones, or, when
 * `CONTINUATION_KEYS` is missing or malformed, a throwaway key and a store that refuses to save
 * (with the reason), so runs that never suspend still work and one that would suspend fails
 * saying what to configure.
 */
export function durableSetup(
  secret: string | undefined,
  store: ContinuationStore,
): { keys: ContinuationKeys; store: ContinuationStore } {
  try {
    return { keys: continuationKeys(secret), store };
  } catch (error) {
    const throwaway = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16)).join("");
    const refuse = () => Promise.reject(error);
    return {
      keys: { current: "unset", keys: { unset: throwaway } },
      store: { save: refuse, load: refuse, list: refuse },
    };
  }
}

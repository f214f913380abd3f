/**
 * The signed state token of a gateway approval round (MCP 2026-07-28 multi round-trip
 * `requestState`). The client holds it between rounds and echoes it back, so it is
 * attacker-controlled on return: it is HMAC-SHA256 signed under a key id (for rotation), carries
 * an expiry, and names what it approves (run id, round, a one-time nonce, and a digest binding the
 * program, the pending calls, the client and the policy). Signed, not encrypted: a client can read
 * the claims, so they hold ids and digests only. WebCrypto only, so it runs on Node and Workers.
 */
import { ApprovalStateError } from "./state-errors.js";

/** One HMAC key: `id` travels in the token so a rotated-out key can still verify its tokens. */
export interface ApprovalStateKey {
  /** 1-64 characters of `A-Z a-z 0-9 _ -`. */
  id: string;
  /** At least 32 bytes (a string is UTF-8 encoded). */
  secret: string | Uint8Array;
}

/** What a token approves. */
export interface ApprovalStateClaims {
  runId: string;
  /** Which approval round of the run (1, 2, …): each round's token answers that round only. */
  round: number;
  /** One-time value: the gateway accepts each nonce once. */
  nonce: string;
  /** Hex SHA-256 over the program, the pending calls, the client and the policy. */
  binding: string;
  /** Expiry, ms since the epoch. */
  expiresAt: number;
}

export interface ApprovalStateCodecOptions {
  /**
   * Signing keys: the first signs, every one verifies (rotation: put the new key first, keep the
   * old one until its tokens have expired). Unset: one random key for this process, which is
   * enough because a parked run lives in the process that parked it.
   */
  keys?: readonly ApprovalStateKey[];
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
}

const PREFIX = "tpa1";
/** Far above a real token (~300 chars); a longer value is refused before any decoding. */
const MAX_TOKEN_CHARS = 2048;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MIN_SECRET_BYTES = 32;

const encoder = new TextEncoder();

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromB64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** Mints and opens approval state tokens under a key ring. */
export class ApprovalStateCodec {
  private readonly keys: Map<string, Promise<HmacKey>>;
  private readonly signingKeyId: string;
  private readonly now: () => number;

  constructor(options: ApprovalStateCodecOptions = {}) {
    const keys = options.keys?.length ? options.keys : [randomKey()];
    this.keys = new Map();
    for (const key of keys) {
      if (!KEY_ID.test(key.id)) {
        throw new RangeError(
          `approval key id ${JSON.stringify(key.id)} is not 1-64 characters of A-Z, a-z, 0-9, _ or -; rename it`,
        );
      }
      const secret = typeof key.secret === "string" ? encoder.encode(key.secret) : key.secret;
      if (secret.length < MIN_SECRET_BYTES) {
        throw new RangeError(
          `approval key "${key.id}" is ${secret.length} bytes; an HMAC key must be at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 48\`)`,
        );
      }
      if (this.keys.has(key.id)) throw new RangeError(`approval key id "${key.id}" is given twice`);
      this.keys.set(
        key.id,
        crypto.subtle.importKey("raw", new Uint8Array(secret), { name: "HMAC", hash: "SHA-256" }, false, [
          "sign",
          "verify",
        ]),
      );
    }
    this.signingKeyId = (keys[0] as ApprovalStateKey).id;
    this.now = options.now ?? Date.now;
  }

  /** Seals `claims` into the opaque token a client echoes back. */
  async mint(claims: ApprovalStateClaims): Promise<string> {
    const body = b64url(
      encoder.encode(
        JSON.stringify({
          r: claims.runId,
          n: claims.round,
          o: claims.nonce,
          b: claims.binding,
          e: claims.expiresAt,
        }),
      ),
    );
    const signed = `${PREFIX}.${this.signingKeyId}.${body}`;
    const key = await (this.keys.get(this.signingKeyId) as Promise<HmacKey>);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(signed)));
    return `${signed}.${b64url(mac)}`;
  }

  /**
   * Verifies a token and returns its claims. Throws `ApprovalStateError`: `APPROVAL_STATE_INVALID`
   * for anything not minted under one of this codec's keys (checked in constant time before the
   * claims are read), `APPROVAL_STATE_EXPIRED` past its expiry.
   */
  async open(token: unknown): Promise<ApprovalStateClaims> {
    const invalid = (why: string) =>
      new ApprovalStateError(
        "APPROVAL_STATE_INVALID",
        `The approval state token was refused: ${why}. Nothing was approved. Retry with the requestState exactly as the gateway sent it, or run the program again to be asked anew.`,
      );
    if (typeof token !== "string" || token.length > MAX_TOKEN_CHARS)
      throw invalid("it is not a token this gateway issued");
    const parts = token.split(".");
    if (parts.length !== 4 || parts[0] !== PREFIX) throw invalid("it is not a token this gateway issued");
    const [, keyId, body, macText] = parts as [string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key)
      throw invalid(`it is signed with key "${keyId.slice(0, 64)}", which this gateway does not hold`);
    const mac = fromB64url(macText);
    const ok =
      mac !== undefined &&
      (await crypto.subtle.verify(
        "HMAC",
        await key,
        new Uint8Array(mac),
        encoder.encode(`${PREFIX}.${keyId}.${body}`),
      ));
    if (!ok) throw invalid("its signature does not match (it was altered or forged)");
    const claims = parseClaims(fromB64url(body));
    // Signed by us but unreadable: only a bug or a key shared with another program can do this.
    if (!claims) throw invalid("its claims are unreadable");
    if (this.now() >= claims.expiresAt) {
      throw new ApprovalStateError(
        "APPROVAL_STATE_EXPIRED",
        `The approval state token for run ${claims.runId} expired at ${new Date(claims.expiresAt).toISOString()}. Nothing was approved, and the run waiting on it has been cancelled; run the program again to be asked anew.`,
      );
    }
    return claims;
  }
}

function parseClaims(bytes: Uint8Array | undefined): ApprovalStateClaims | undefined {
  if (!bytes) return undefined;
  try {
    const c = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)) as Record<
      string,
      unknown
    >;
    if (
      typeof c.r !== "string" ||
      typeof c.n !== "number" ||
      typeof c.o !== "string" ||
      typeof c.b !== "string" ||
      typeof c.e !== "number"
    )
      return undefined;
    return { runId: c.r, round: c.n, nonce: c.o, binding: c.b, expiresAt: c.e };
  } catch {
    return undefined;
  }
}

function randomKey(): ApprovalStateKey {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const id = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
  return { id: `process-${id}`, secret };
}

/**
 * Reads a key ring from `TOOLPACKS_APPROVAL_KEYS`: comma-separated `id:secret` pairs, the first
 * signing (rotation: prepend the new key, drop the old one once its tokens expired). Unset or
 * empty: undefined (a random per-process key). Throws `RangeError` on a malformed value.
 */
export function approvalKeysFromEnv(value: string | undefined): ApprovalStateKey[] | undefined {
  if (!value?.trim()) return undefined;
  return value.split(",").map((pair) => {
    const at = pair.indexOf(":");
    if (at <= 0) {
      throw new RangeError(
        "TOOLPACKS_APPROVAL_KEYS must be comma-separated id:secret pairs (e.g. 2026-12:<48 random bytes in base64>)",
      );
    }
    return { id: pair.slice(0, at).trim(), secret: pair.slice(at + 1).trim() };
  });
}

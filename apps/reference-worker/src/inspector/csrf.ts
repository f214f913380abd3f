/**
 * CSRF protection for the inspector's decision forms: a same-origin check (the browser's
 * `Origin` and `Sec-Fetch-Site` headers, when sent) and a token in every form that another site
 * cannot produce, because it can read neither the HttpOnly cookies nor the page.
 * - Signed in with the inspector's session cookie: the token is the HMAC of that cookie's value.
 * - Signed in through Cloudflare Access (no session cookie; the verified assertion of each request
 *   is the session): the token is `issued-at · nonce · HMAC(server key, identity, issued-at,
 *   nonce)`, one per page, bound to the verified user and role and valid for the session's twelve
 *   hours. The server key is derived from `SESSION_SECRET`, else from the current
 *   `CONTINUATION_KEYS` secret (which every deployment with approvals has), never a var.
 * Access attaches its assertion to a cross-site POST too, so the token, not the assertion, is
 * what proves the form came from the page.
 */
import { SESSION_MAX_AGE_S, sessionSecret } from "../auth/browser-session.js";
import { publicOrigin } from "../auth/provider.js";
import type { Env } from "../env.js";
import { continuationKeys } from "../runs/continuation-keys.js";
import { SESSION_COOKIE, type SignedIn } from "./session.js";

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

function hmacKey(secret: string | Uint8Array, usage: Array<"sign" | "verify">): Promise<CryptoKey> {
  const raw = typeof secret === "string" ? encoder.encode(secret) : secret;
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, usage);
}

function sessionValue(request: Request): string | undefined {
  const cookie = request.headers.get("cookie") ?? "";
  return new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookie)?.[1];
}

/** The session-cookie token: the HMAC of the cookie's value (64 hex digits). */
async function cookieToken(request: Request): Promise<string | undefined> {
  const session = sessionValue(request);
  if (!session) return undefined;
  const key = await hmacKey(session, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", key, encoder.encode("toolpacks-inspector-csrf")));
}

/**
 * The key Access-session tokens are signed with, derived (HMAC with a fixed label) from a server
 * secret so the secret itself never signs form tokens; undefined without any secret.
 */
async function accessTokenKey(env: Env): Promise<CryptoKey | undefined> {
  let secret = sessionSecret(env);
  if (!secret) {
    try {
      const keys = continuationKeys(env.CONTINUATION_KEYS);
      const current = keys.keys[keys.current];
      if (current) secret = `continuation:${keys.current}:${current}`;
    } catch {
      return undefined;
    }
  }
  if (!secret) return undefined;
  const derived = await crypto.subtle.sign(
    "HMAC",
    await hmacKey(secret, ["sign"]),
    encoder.encode("toolpacks-inspector-csrf-key/access"),
  );
  return hmacKey(new Uint8Array(derived), ["sign", "verify"]);
}

function accessMessage(who: SignedIn, issuedAt: string, nonce: string): Uint8Array {
  return encoder.encode(["toolpacks-inspector-csrf/access", who.id, who.role, issuedAt, nonce].join("\n"));
}

const ACCESS_TOKEN = /^([0-9a-f]{8})([0-9a-f]{32})([0-9a-f]{64})$/;

async function accessToken(env: Env, who: SignedIn): Promise<string | undefined> {
  const key = await accessTokenKey(env);
  if (!key) return undefined;
  const issuedAt = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, "0");
  const nonce = hex(crypto.getRandomValues(new Uint8Array(16)));
  return `${issuedAt}${nonce}${hex(await crypto.subtle.sign("HMAC", key, accessMessage(who, issuedAt, nonce)))}`;
}

async function accessTokenValid(env: Env, who: SignedIn, sent: string): Promise<boolean> {
  const parts = ACCESS_TOKEN.exec(sent);
  const key = await accessTokenKey(env);
  if (!parts || !key) return false;
  const [, issuedAt = "", nonce = "", mac = ""] = parts;
  const age = Date.now() / 1000 - Number.parseInt(issuedAt, 16);
  if (age > SESSION_MAX_AGE_S || age < -60) return false;
  return crypto.subtle.verify("HMAC", key, fromHex(mac), accessMessage(who, issuedAt, nonce));
}

/**
 * The CSRF token for the forms of a page shown to `who`, or undefined when none can be made (no
 * session cookie; behind Access, no server secret to sign with).
 */
export async function csrfToken(request: Request, env: Env, who: SignedIn): Promise<string | undefined> {
  return who.via === "access" ? accessToken(env, who) : cookieToken(request);
}

/** Why a state-changing POST by `who` is refused as cross-site, or undefined when it may proceed. */
export async function csrfRefusal(
  request: Request,
  env: Env,
  who: SignedIn,
  sent: unknown,
): Promise<string | undefined> {
  const own = new URL(request.url).origin;
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== own && origin.toLowerCase() !== publicOrigin(request, env))
    return `the form was sent from ${origin}, not from ${own}`;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return `the browser marked the request ${site}`;
  const retry = "reload the run page and decide again";
  if (typeof sent !== "string" || sent === "") return `the form carries no CSRF token; ${retry}`;
  if (who.via === "access") {
    if (!(await accessTokenValid(env, who, sent)))
      return `the form's CSRF token is wrong, expired (twelve hours) or was issued to someone else; ${retry}`;
    return undefined;
  }
  const expected = await cookieToken(request);
  if (!expected || !sameText(sent, expected)) return `the form's CSRF token is wrong; ${retry}`;
  return undefined;
}

function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

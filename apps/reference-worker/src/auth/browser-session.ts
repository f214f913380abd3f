/**
 * A signed browser session for the Worker's own pages (the run inspector): an HMAC-SHA-256 over
 * `{ user, role, exp }`, so it carries identities from an identity provider as well as demo users,
 * and expires by itself. The key is `SESSION_SECRET` (a Worker secret); with demo users on and no
 * secret, one derived from `DEMO_PASSWORD` (local development), so changing either signs everyone out.
 */
import type { Env } from "../env.js";
import type { AuthProps } from "./props.js";
import { readAuthProps } from "./props.js";

/** How long a session lasts, in seconds (twelve hours). */
export const SESSION_MAX_AGE_S = 43_200;

function b64url(bytes: ArrayBuffer | Uint8Array): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function fromB64url(s: string): Uint8Array {
  const bin = atob(s.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The session key material, or undefined when sessions cannot be signed (no secret configured). */
export function sessionSecret(
  env: Pick<Env, "SESSION_SECRET" | "DEMO_USERS" | "DEMO_PASSWORD">,
): string | undefined {
  if (env.SESSION_SECRET && env.SESSION_SECRET.length >= 32) return `session:${env.SESSION_SECRET}`;
  if (env.DEMO_USERS === "on" && env.DEMO_PASSWORD) return `toolpacks-inspector:${env.DEMO_PASSWORD}`;
  return undefined;
}

async function hmac(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** A session value for `props`, valid `SESSION_MAX_AGE_S` from now. */
export async function signSession(secret: string, props: AuthProps): Promise<string> {
  const body = b64url(
    new TextEncoder().encode(
      JSON.stringify({
        user: props.user,
        role: props.role,
        exp: Math.floor(Date.now() / 1000) + SESSION_MAX_AGE_S,
      }),
    ),
  );
  const sig = b64url(await crypto.subtle.sign("HMAC", await hmac(secret), new TextEncoder().encode(body)));
  return `${body}.${sig}`;
}

/** The props of a session value, or undefined when it is malformed, forged or expired. */
export async function verifySession(secret: string, value: string): Promise<AuthProps | undefined> {
  const [body, sig, extra] = value.split(".");
  if (!body || !sig || extra !== undefined) return undefined;
  try {
    const ok = await crypto.subtle.verify(
      "HMAC",
      await hmac(secret),
      fromB64url(sig),
      new TextEncoder().encode(body),
    );
    if (!ok) return undefined;
    const json = JSON.parse(new TextDecoder().decode(fromB64url(body))) as { exp?: unknown };
    if (typeof json.exp !== "number" || json.exp < Date.now() / 1000) return undefined;
    return readAuthProps(json);
  } catch {
    return undefined;
  }
}

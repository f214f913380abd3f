/**
 * The inspector's sign-in: an HMAC-signed cookie naming a demo user, keyed by `DEMO_PASSWORD`
 * (so changing the password signs everyone out). Scoped to `/inspector`.
 */

import { DEMO_USERS, type DemoUser } from "../auth/users.js";
import type { Env } from "../env.js";

/** The session cookie's name (the CSRF token is derived from its value). */
export const SESSION_COOKIE = "tp_inspector";
const COOKIE = SESSION_COOKIE;

async function key(env: Env): Promise<CryptoKey> {
  const secret = new TextEncoder().encode(`toolpacks-inspector:${env.DEMO_PASSWORD ?? ""}`);
  return crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A Set-Cookie value signing `user` in. */
export async function sessionCookie(env: Env, user: DemoUser): Promise<string> {
  const sig = hex(await crypto.subtle.sign("HMAC", await key(env), new TextEncoder().encode(user.id)));
  return `${COOKIE}=${user.id}.${sig}; Path=/inspector; HttpOnly; SameSite=Lax; Max-Age=43200`;
}

/** The signed-in user, or undefined. */
export async function sessionUser(request: Request, env: Env): Promise<DemoUser | undefined> {
  const cookie = request.headers.get("cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([a-z]+)\\.([0-9a-f]{64})`).exec(cookie);
  if (!match?.[1] || !match[2]) return undefined;
  const expected = hex(await crypto.subtle.sign("HMAC", await key(env), new TextEncoder().encode(match[1])));
  if (expected !== match[2]) return undefined;
  return DEMO_USERS.find((u) => u.id === match[1]);
}

/**
 * CSRF protection for the inspector's decision forms: a same-origin check (the browser's
 * `Origin` and `Sec-Fetch-Site` headers, when sent) and a token in every form, the HMAC of the
 * signed-in session's cookie. Another site can make a browser POST, but it can neither read the
 * HttpOnly cookie nor the page, so it cannot produce the token.
 */
import { SESSION_COOKIE } from "./session.js";

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function sessionValue(request: Request): string | undefined {
  const cookie = request.headers.get("cookie") ?? "";
  return new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookie)?.[1];
}

/** The CSRF token of the request's session, or undefined without one. */
export async function csrfToken(request: Request): Promise<string | undefined> {
  const session = sessionValue(request);
  if (!session) return undefined;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(session),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("toolpacks-inspector-csrf")));
}

/** Why a state-changing POST is refused as cross-site, or undefined when it may proceed. */
export async function csrfRefusal(request: Request, sent: unknown): Promise<string | undefined> {
  const own = new URL(request.url).origin;
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== own) return `the form was sent from ${origin}, not from ${own}`;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return `the browser marked the request ${site}`;
  const expected = await csrfToken(request);
  if (!expected || typeof sent !== "string" || !sameText(sent, expected))
    return "the form's CSRF token is missing or wrong; reload the run page and decide again";
  return undefined;
}

function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

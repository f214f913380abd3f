/**
 * Sign-in to the run inspector (the Worker's own page, no MCP client involved):
 * - behind Cloudflare Access, every request's assertion is verified and is the session;
 * - through the OpenID Connect provider, `/inspector/login/oidc` starts the same verified flow as
 *   the MCP consent (PKCE, nonce, ID token checks), with its own `state`: stored in KV by its
 *   SHA-256, single use, ten minutes, and bound to this browser by a `__Host-` cookie; the
 *   callback sets a signed session cookie (browser-session.ts);
 * - demo users, only when `DEMO_USERS=on` (the inspector's password form).
 */
import type { Env } from "../env.js";
import { verifyAccess } from "./access.js";
import { CALLBACK_PATH } from "./authorize.js";
import { SESSION_MAX_AGE_S, sessionSecret, signSession, verifySession } from "./browser-session.js";
import { readAuthConfig } from "./config.js";
import { SignInError } from "./errors.js";
import { identityFor } from "./identity.js";
import { beginLogin, finishLogin, newPendingLogin, type PendingLogin } from "./oidc.js";
import { refusalPage } from "./pages.js";
import type { AuthProps } from "./props.js";
import { publicOrigin } from "./provider.js";

/** The inspector's session cookie. */
export const INSPECTOR_COOKIE = "tp_inspector";
const LOGIN_COOKIE = "__Host-tp-inspector-login";
const LOGIN_TTL_S = 600;

function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

async function stateKey(state: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(state));
  return `inspector-login:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** A Set-Cookie value for an inspector session of `props`, or undefined without a session secret. */
export async function inspectorSessionCookie(env: Env, props: AuthProps): Promise<string | undefined> {
  const secret = sessionSecret(env);
  if (!secret) return undefined;
  return `${INSPECTOR_COOKIE}=${await signSession(secret, props)}; Path=/inspector; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MAX_AGE_S}`;
}

/** How the inspector knows who is signed in: the request's Access assertion, or the session cookie. */
export type InspectorSignInVia = "access" | "session";

/**
 * Who is signed in to the inspector, and how: the Access assertion when Access is configured and
 * the request carries one (verified on every request), else a valid session cookie.
 */
export async function inspectorUser(
  request: Request,
  env: Env,
): Promise<(AuthProps & { via: InspectorSignInVia }) | undefined> {
  let config: ReturnType<typeof readAuthConfig>;
  try {
    config = readAuthConfig(env);
  } catch {
    return undefined; // a broken configuration signs no one in
  }
  if (config.access && request.headers.has("cf-access-jwt-assertion")) {
    try {
      const props = identityFor(await verifyAccess(request, config.access), config, "Cloudflare Access");
      return { ...props, via: "access" };
    } catch {
      return undefined;
    }
  }
  const secret = sessionSecret(env);
  const value = cookie(request, INSPECTOR_COOKIE);
  if (!secret || !value) return undefined;
  const props = await verifySession(secret, value);
  // Demo sessions end with DEMO_USERS; identity-provider sessions need the provider configured.
  return props && { ...props, via: "session" };
}

/** Whether the inspector can offer "Sign in with <provider>" (and its name). */
export function inspectorProvider(env: Env): string | undefined {
  try {
    const config = readAuthConfig(env);
    return config.oidc && sessionSecret(env) ? config.oidc.providerName : undefined;
  } catch {
    return undefined;
  }
}

/** GET `/inspector/login/oidc`: redirects to the provider. */
export async function startInspectorLogin(request: Request, env: Env): Promise<Response> {
  try {
    const config = readAuthConfig(env);
    if (!config.oidc)
      throw new SignInError("NO_SIGN_IN_METHOD", "No OpenID Connect provider is configured (OIDC_ISSUER).", {
        status: 404,
      });
    if (!sessionSecret(env))
      throw new SignInError(
        "AUTH_CONFIG_INVALID",
        "The inspector needs SESSION_SECRET (a Worker secret of at least 32 characters) to keep you signed in: `wrangler secret put SESSION_SECRET`.",
      );
    const pending = newPendingLogin();
    const state = crypto.randomUUID() + crypto.randomUUID();
    await env.OAUTH_KV.put(await stateKey(state), JSON.stringify(pending), { expirationTtl: LOGIN_TTL_S });
    const location = await beginLogin(
      config.oidc,
      `${publicOrigin(request, env)}${CALLBACK_PATH}`,
      state,
      pending,
    );
    return new Response(null, {
      status: 302,
      headers: {
        location,
        "set-cookie": `${LOGIN_COOKIE}=${state}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${LOGIN_TTL_S}`,
      },
    });
  } catch (err) {
    if (err instanceof SignInError) return refusalPage(err);
    throw err;
  }
}

/** Whether this callback belongs to an inspector sign-in (its binding cookie names this state). */
export function isInspectorCallback(request: Request): boolean {
  const state = new URL(request.url).searchParams.get("state");
  return state !== null && cookie(request, LOGIN_COOKIE) === state;
}

/** The callback of an inspector sign-in: verifies, sets the session, back to `/inspector`. */
export async function finishInspectorLogin(request: Request, env: Env): Promise<Response> {
  const clear = `${LOGIN_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`;
  try {
    const config = readAuthConfig(env);
    const oidc = config.oidc;
    if (!oidc)
      throw new SignInError("NO_SIGN_IN_METHOD", "No OpenID Connect provider is configured (OIDC_ISSUER).");
    const params = new URL(request.url).searchParams;
    const key = await stateKey(params.get("state") ?? "");
    const stored = await env.OAUTH_KV.get<PendingLogin>(key, "json");
    await env.OAUTH_KV.delete(key); // single use, whatever happens next
    if (!stored)
      throw new SignInError(
        "STATE_INVALID",
        "This sign-in link was already used or expired (ten minutes). Sign in again from the inspector.",
      );
    if (params.get("error") !== null)
      throw new SignInError(
        "IDP_REFUSED",
        "The identity provider did not sign you in. Sign in again from the inspector.",
      );
    const code = params.get("code");
    if (!code) throw new SignInError("IDP_REFUSED", "The identity provider sent no authorization code back.");
    const claims = await finishLogin(oidc, `${publicOrigin(request, env)}${CALLBACK_PATH}`, code, stored);
    const props = identityFor(claims, config, oidc.providerName);
    const session = await inspectorSessionCookie(env, props);
    if (!session) throw new SignInError("AUTH_CONFIG_INVALID", "SESSION_SECRET is not set.");
    const headers = new Headers({ location: "/inspector" });
    headers.append("set-cookie", session);
    headers.append("set-cookie", clear);
    return new Response(null, { status: 303, headers });
  } catch (err) {
    if (err instanceof SignInError) return refusalPage(err, { "set-cookie": clear });
    throw err;
  }
}

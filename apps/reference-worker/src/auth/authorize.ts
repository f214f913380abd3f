/**
 * `/authorize`: the OAuth login and consent page in front of the MCP endpoints. GET shows who is
 * asking (client name, where the code goes, scopes) and the enabled sign-in methods; POST, after
 * the provider's consent helpers have checked the single-use handle bound to this browser:
 * - `oidc`: redirects to the identity provider (state from `beginUpstream`, PKCE, nonce);
 *   `/auth/callback` (callback.ts) finishes;
 * - `access`: verifies this very request's Cloudflare Access assertion and issues the grant;
 * - `demo`: a demo user and password, only when `DEMO_USERS=on`.
 * The grant's props are `{ user, role }`. Nothing here ever reaches a sandbox.
 */
import type { Env } from "../env.js";
import { esc, page } from "../html.js";
import { verifyAccess } from "./access.js";
import { type AuthConfig, anySignIn, readAuthConfig } from "./config.js";
import { SignInError } from "./errors.js";
import { identityFor } from "./identity.js";
import { beginLogin, discover, newPendingLogin, type PendingLogin } from "./oidc.js";
import { consentPage, refusalPage } from "./pages.js";
import type { AuthProps } from "./props.js";
import { publicOrigin } from "./provider.js";
import { signIn } from "./users.js";

/** Where the identity provider sends the browser back (register it at the provider). */
export const CALLBACK_PATH = "/auth/callback";

/** What `beginUpstream` keeps for the callback (encrypted in KV by the OAuth provider). */
export interface UpstreamData extends PendingLogin {
  kind: "oidc";
}

/** The configuration, or a page saying what is wrong with it. */
export function configOrRefusal(env: Env): AuthConfig | Response {
  try {
    const config = readAuthConfig(env);
    if (!anySignIn(config))
      return refusalPage(
        new SignInError(
          "NO_SIGN_IN_METHOD",
          "No sign-in method is configured: set OIDC_ISSUER and OIDC_CLIENT_ID (an OpenID Connect provider), or ACCESS_TEAM_DOMAIN and ACCESS_AUD (Cloudflare Access). Demo users exist only for local development (DEMO_USERS=on).",
        ),
      );
    return config;
  } catch (err) {
    if (err instanceof SignInError) return refusalPage(err);
    throw err;
  }
}

/** Handles GET and POST `/authorize`. */
export async function handleAuthorize(request: Request, env: Env): Promise<Response> {
  const config = configOrRefusal(env);
  if (config instanceof Response) return config;
  try {
    if (request.method === "GET") return await showConsent(request, env, config);
    if (request.method === "POST") return await decide(request, env, config);
    return new Response("method not allowed", { status: 405 });
  } catch (err) {
    if (err instanceof SignInError) return refusalPage(err);
    throw err;
  }
}

async function showConsent(request: Request, env: Env, config: AuthConfig): Promise<Response> {
  const oauth = env.OAUTH_PROVIDER;
  let authRequest: Awaited<ReturnType<typeof oauth.parseAuthRequest>>;
  try {
    authRequest = await oauth.parseAuthRequest(request);
  } catch (err) {
    return page(
      "Invalid request",
      `<h1>Invalid authorization request</h1><p>${esc((err as Error).message)}</p>`,
      { status: 400 },
    );
  }
  // Behind Access, the person is known already: a refusal (bad assertion, no role) is shown
  // now, unless another method is there to try instead.
  let access: AuthProps | undefined;
  if (config.access) {
    try {
      access = identityFor(await verifyAccess(request, config.access), config, "Cloudflare Access");
    } catch (err) {
      if (!(err instanceof SignInError) || (!config.oidc && !config.demo)) throw err;
    }
  }
  const consent = await oauth.describeConsent(authRequest);
  const { handle, headers } = await oauth.beginConsent(authRequest);
  return consentPage(config, consent, handle, access, headers);
}

async function decide(request: Request, env: Env, config: AuthConfig): Promise<Response> {
  const oauth = env.OAUTH_PROVIDER;
  const form = await request.clone().formData();
  const handle = String(form.get("handle") ?? "");
  if (form.get("action") === "deny") {
    const denied = await oauth.denyConsent(request, handle);
    return new Response(null, { status: 302, headers: denied.headers });
  }
  // A form without a method is the demo form of earlier versions.
  const method = String(form.get("method") ?? (form.has("user") ? "demo" : ""));
  if (method === "oidc" && config.oidc) {
    // Discovery first: if the provider is down, the handle is still unused and a reload retries.
    await discover(config.oidc);
    const approved = await oauth.approveConsent(request, handle);
    const pending = newPendingLogin();
    const data: UpstreamData = { kind: "oidc", ...pending };
    const { state, headers } = await oauth.beginUpstream(approved.request, {
      data,
      headers: approved.headers,
    });
    const callback = `${publicOrigin(request, env)}${CALLBACK_PATH}`;
    headers.set("location", await beginLogin(config.oidc, callback, state, pending));
    return new Response(null, { status: 302, headers });
  }
  let props: AuthProps;
  if (method === "access" && config.access) {
    props = identityFor(await verifyAccess(request, config.access), config, "Cloudflare Access");
  } else if (method === "demo") {
    const user = config.demo ? signIn(env, form.get("user"), form.get("password")) : undefined;
    if (!user)
      throw new SignInError(
        "DEMO_SIGN_IN_FAILED",
        config.demo
          ? "Unknown demo user or wrong password. Go back and try again."
          : "Demo users are off on this Worker (DEMO_USERS is not on). Sign in through the identity provider.",
      );
    props = { user: user.id, role: user.role };
  } else {
    throw new SignInError(
      "NO_SIGN_IN_METHOD",
      `The sign-in method ${JSON.stringify(method)} is not enabled on this Worker. Go back and choose one the page offers.`,
      { status: 400 },
    );
  }
  const approved = await oauth.approveConsent(request, handle);
  const { redirectTo } = await oauth.completeAuthorization({
    request: approved.request,
    userId: props.user,
    metadata: { role: props.role },
    scope: approved.request.scope,
    props,
  });
  const headers = new Headers(approved.headers);
  headers.set("location", redirectTo);
  return new Response(null, { status: 302, headers });
}

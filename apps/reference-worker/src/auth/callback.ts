/**
 * `/auth/callback`: the identity provider sends the browser back here. The OAuth provider's
 * `finishUpstream` recovers the approved MCP authorization request from `state` (single use, ten
 * minutes, bound to this browser by a cookie); then the code is exchanged, the ID token verified
 * against this login's nonce, the role mapped, and the grant issued to the MCP client.
 */
import { authorizationErrorRedirect } from "@cloudflare/workers-oauth-provider";
import type { Env } from "../env.js";
import { CALLBACK_PATH, configOrRefusal, type UpstreamData } from "./authorize.js";
import { SignInError } from "./errors.js";
import { identityFor } from "./identity.js";
import { finishInspectorLogin, isInspectorCallback } from "./inspector-sign-in.js";
import { discover, finishLogin } from "./oidc.js";
import { refusalPage } from "./pages.js";
import { publicOrigin } from "./provider.js";

/** Handles GET `/auth/callback`. */
export async function handleCallback(request: Request, env: Env): Promise<Response> {
  if (request.method !== "GET") return new Response("method not allowed", { status: 405 });
  if (isInspectorCallback(request)) return finishInspectorLogin(request, env);
  const config = configOrRefusal(env);
  if (config instanceof Response) return config;
  const oidc = config.oidc;
  if (!oidc)
    return refusalPage(
      new SignInError(
        "NO_SIGN_IN_METHOD",
        "This Worker has no OpenID Connect provider configured (OIDC_ISSUER).",
        {
          status: 404,
        },
      ),
    );
  const params = new URL(request.url).searchParams;
  let resumed: Awaited<ReturnType<typeof env.OAUTH_PROVIDER.finishUpstream<UpstreamData>>>;
  try {
    resumed = await env.OAUTH_PROVIDER.finishUpstream<UpstreamData>(request);
  } catch (err) {
    return refusalPage(
      new SignInError(
        "STATE_INVALID",
        "This sign-in link is not valid here: it was already used, it expired (ten minutes), or it was started in another browser. Start again from your MCP client.",
        { cause: err },
      ),
    );
  }
  const { request: original, data, headers } = resumed;
  try {
    if (data?.kind !== "oidc")
      throw new SignInError("STATE_INVALID", "This sign-in was not started with the identity provider.");
    const meta = await discover(oidc);
    // RFC 9207: a provider that names itself must be the one this login went to (mix-up defence).
    const iss = params.get("iss");
    if (iss !== null && iss !== meta.issuer)
      throw new SignInError(
        "IDP_REFUSED",
        "The callback names another identity provider (iss) than the one this sign-in went to.",
      );
    const error = params.get("error");
    if (error !== null) {
      // The user declined (or the provider failed): the MCP client hears access_denied.
      headers.set(
        "location",
        authorizationErrorRedirect(
          original,
          "access_denied",
          "the identity provider did not sign the user in",
        ),
      );
      return new Response(null, { status: 302, headers });
    }
    const code = params.get("code");
    if (!code) throw new SignInError("IDP_REFUSED", "The identity provider sent no authorization code back.");
    const claims = await finishLogin(oidc, `${publicOrigin(request, env)}${CALLBACK_PATH}`, code, data);
    const props = identityFor(claims, config, oidc.providerName);
    const { redirectTo } = await env.OAUTH_PROVIDER.completeAuthorization({
      request: original,
      userId: props.user,
      metadata: { role: props.role },
      scope: original.scope,
      props,
    });
    headers.set("location", redirectTo);
    return new Response(null, { status: 302, headers });
  } catch (err) {
    // `headers` clear the state cookie: the state is spent either way.
    if (err instanceof SignInError) return refusalPage(err, headers);
    throw err;
  }
}

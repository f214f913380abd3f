/**
 * The Worker as an OpenID Connect relying party: discovery from
 * `<issuer>/.well-known/openid-configuration`, the authorization-code flow with PKCE (S256),
 * `state` (bound to the browser by the OAuth provider's upstream helpers) and `nonce`, and the ID
 * token verified with `jose` against the provider's JWKS: asymmetric signature, `iss`, `aud`
 * (and `azp` when there are several audiences), `exp`/`iat`, and the nonce of this very login.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from "jose";
import type { OidcConfig } from "./config.js";
import { SignInError } from "./errors.js";

/** The fields of a discovery document this relying party uses. */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  id_token_signing_alg_values_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  code_challenge_methods_supported?: string[];
}

/** What a login keeps between the redirect and the callback (stored server-side, never sent). */
export interface PendingLogin {
  verifier: string;
  nonce: string;
}

/** Tolerated clock difference with the provider, in seconds. */
const CLOCK_TOLERANCE_S = 60;
/** How long a discovery document is reused in one isolate. */
const DISCOVERY_TTL_MS = 10 * 60_000;
/** Only asymmetric algorithms: a symmetric (HS*) ID token would be keyed by the client secret, and `none` is never accepted. */
const ASYMMETRIC = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];

const discovered = new Map<string, { at: number; meta: ProviderMetadata }>();
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function b64url(bytes: ArrayBuffer | Uint8Array): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function random(): string {
  return b64url(crypto.getRandomValues(new Uint8Array(32)));
}

function isUrl(v: unknown): v is string {
  if (typeof v !== "string") return false;
  try {
    const u = new URL(v);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * The provider's discovery document, fetched once per isolate for ten minutes.
 * @throws SignInError `IDP_UNAVAILABLE` when it cannot be fetched, is not JSON, lacks an endpoint,
 *   or names another issuer than the configured one (OpenID Connect Discovery §4.3).
 */
export async function discover(config: OidcConfig): Promise<ProviderMetadata> {
  const cached = discovered.get(config.issuer);
  if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.meta;
  const url = `${config.issuer}/.well-known/openid-configuration`;
  let body: unknown;
  try {
    const r = await fetch(url, { headers: { accept: "application/json" } });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    body = await r.json();
  } catch (err) {
    throw new SignInError(
      "IDP_UNAVAILABLE",
      `The identity provider's discovery document (${url}) could not be read: ${(err as Error).message}. Check OIDC_ISSUER and that the provider is up.`,
      { cause: err },
    );
  }
  const meta = body as Partial<ProviderMetadata>;
  if (meta === null || typeof meta !== "object" || meta.issuer !== config.issuer) {
    throw new SignInError(
      "IDP_UNAVAILABLE",
      `The discovery document at ${url} names issuer ${JSON.stringify((meta as { issuer?: unknown })?.issuer)}, not ${config.issuer}: OIDC_ISSUER must be exactly the provider's issuer.`,
    );
  }
  for (const field of ["authorization_endpoint", "token_endpoint", "jwks_uri"] as const) {
    if (!isUrl(meta[field]))
      throw new SignInError("IDP_UNAVAILABLE", `The discovery document at ${url} has no usable ${field}.`);
  }
  const full = meta as ProviderMetadata;
  discovered.set(config.issuer, { at: Date.now(), meta: full });
  return full;
}

/**
 * Starts a login: the provider's authorization URL for `state`, and what the callback needs
 * (PKCE verifier, nonce), which the caller stores server-side.
 */
export async function beginLogin(
  config: OidcConfig,
  redirectUri: string,
  state: string,
  pending: PendingLogin,
): Promise<string> {
  const meta = await discover(config);
  const url = new URL(meta.authorization_endpoint);
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(pending.verifier)));
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("scope", config.scopes.join(" "));
  url.searchParams.set("state", state);
  url.searchParams.set("nonce", pending.nonce);
  url.searchParams.set("code_challenge", challenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.href;
}

/** A fresh PKCE verifier and nonce for one login. */
export function newPendingLogin(): PendingLogin {
  return { verifier: random(), nonce: random() };
}

interface TokenResponse {
  id_token?: unknown;
  access_token?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/**
 * Finishes a login at the callback: exchanges `code` (with the PKCE verifier and the client's
 * credentials), verifies the ID token and returns its claims, merged under the userinfo
 * endpoint's claims when the provider has one (the ID token's claims win; userinfo must be about
 * the same `sub`), since many providers put groups only there.
 * @throws SignInError `IDP_UNAVAILABLE` (token endpoint failed) or `ID_TOKEN_INVALID`.
 */
export async function finishLogin(
  config: OidcConfig,
  redirectUri: string,
  code: string,
  pending: PendingLogin,
): Promise<Record<string, unknown>> {
  const meta = await discover(config);
  const tokens = await exchangeCode(config, meta, redirectUri, code, pending.verifier);
  if (typeof tokens.id_token !== "string")
    throw new SignInError(
      "ID_TOKEN_INVALID",
      "The identity provider's token response has no id_token: check that the client is an OpenID Connect client and OIDC_SCOPES includes openid.",
    );
  const claims = await verifyIdToken(config, meta, tokens.id_token, pending.nonce);
  if (typeof tokens.access_token !== "string" || !meta.userinfo_endpoint) return claims;
  const info = await userinfo(meta.userinfo_endpoint, tokens.access_token);
  if (!info || info.sub !== claims.sub) return claims;
  return { ...info, ...claims };
}

async function exchangeCode(
  config: OidcConfig,
  meta: ProviderMetadata,
  redirectUri: string,
  code: string,
  verifier: string,
): Promise<TokenResponse> {
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  const methods = meta.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  if (config.clientSecret === undefined) {
    body.set("client_id", config.clientId);
  } else if (!methods.includes("client_secret_basic") && methods.includes("client_secret_post")) {
    body.set("client_id", config.clientId);
    body.set("client_secret", config.clientSecret);
  } else {
    // RFC 6749 §2.3.1: form-encode each part before base64.
    const enc = (s: string) => encodeURIComponent(s).replaceAll("%20", "+");
    headers.authorization = `Basic ${btoa(`${enc(config.clientId)}:${enc(config.clientSecret)}`)}`;
  }
  let status = 0;
  let json: TokenResponse;
  try {
    const r = await fetch(meta.token_endpoint, { method: "POST", headers, body });
    status = r.status;
    json = (await r.json()) as TokenResponse;
  } catch (err) {
    throw new SignInError(
      "IDP_UNAVAILABLE",
      `The identity provider's token endpoint did not answer with JSON (HTTP ${status || "no response"}). Try signing in again.`,
      { cause: err },
    );
  }
  if (status !== 200 || json === null || typeof json !== "object" || json.error !== undefined) {
    const what = typeof json?.error === "string" ? json.error : `HTTP ${status}`;
    const why =
      typeof json?.error_description === "string" ? `: ${json.error_description.slice(0, 200)}` : "";
    throw new SignInError(
      "IDP_UNAVAILABLE",
      `The identity provider refused the authorization code (${what}${why}). If this repeats, check OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and the redirect URI registered at the provider.`,
    );
  }
  return json;
}

function keySet(jwksUri: string): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(jwksUri);
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUri));
    keySets.set(jwksUri, set);
  }
  return set;
}

/**
 * Verifies an ID token (OpenID Connect Core §3.1.3.7) and returns its claims.
 * @throws SignInError `ID_TOKEN_INVALID` saying which check failed.
 */
export async function verifyIdToken(
  config: OidcConfig,
  meta: ProviderMetadata,
  idToken: string,
  expectedNonce: string,
): Promise<Record<string, unknown>> {
  const advertised = meta.id_token_signing_alg_values_supported ?? ["RS256"];
  const algorithms = advertised.filter((a) => ASYMMETRIC.includes(a));
  if (algorithms.length === 0)
    throw new SignInError(
      "ID_TOKEN_INVALID",
      `The identity provider signs ID tokens only with ${advertised.join(", ")}; this Worker accepts asymmetric algorithms only (RS256, ES256, EdDSA, ...).`,
    );
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(idToken, keySet(meta.jwks_uri), {
      issuer: meta.issuer,
      audience: config.clientId,
      algorithms,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["iss", "sub", "aud", "exp", "iat"],
    }));
  } catch (err) {
    throw new SignInError(
      "ID_TOKEN_INVALID",
      `The ID token was refused: ${describeJoseError(err)}. Sign in again.`,
      {
        cause: err,
      },
    );
  }
  const aud = payload.aud;
  if (Array.isArray(aud) && aud.length > 1 && payload.azp !== config.clientId)
    throw new SignInError(
      "ID_TOKEN_INVALID",
      "The ID token was refused: it has several audiences and its azp is not this Worker's client ID.",
    );
  if (typeof payload.nonce !== "string" || !constantTimeEqual(payload.nonce, expectedNonce))
    throw new SignInError(
      "ID_TOKEN_INVALID",
      "The ID token was refused: its nonce is not the one this login sent (a replayed or foreign token). Sign in again.",
    );
  return payload;
}

/** The userinfo claims, or undefined when the endpoint fails (the ID token alone then counts). */
async function userinfo(endpoint: string, accessToken: string): Promise<Record<string, unknown> | undefined> {
  try {
    const r = await fetch(endpoint, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
    });
    if (!r.ok || !(r.headers.get("content-type") ?? "").includes("json")) return undefined;
    const json = (await r.json()) as unknown;
    return json !== null && typeof json === "object" && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A short reason for a failed JWT check, without the token. */
export function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return "it has expired (exp is in the past)";
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === "iss") return "its issuer (iss) is not the configured one";
    if (err.claim === "aud") return "its audience (aud) is not this application";
    if (err.claim === "nbf" || err.claim === "iat") return `its ${err.claim} is in the future`;
    return `its ${err.claim} claim is missing or invalid`;
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return "its signature does not verify";
  if (err instanceof joseErrors.JWKSNoMatchingKey)
    return "no key of the provider's key set (JWKS) matches its signature";
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return "it is signed with an algorithm that is not accepted";
  if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid)
    return "the provider's key set (JWKS) could not be fetched";
  if (err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JWSInvalid)
    return "it is not a well-formed JWT";
  return "it could not be verified";
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

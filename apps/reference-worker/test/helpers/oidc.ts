/**
 * Test helpers inside workerd for sign-in through the test OpenID Connect provider (idp/, started
 * in Node by the global setup): the Worker under test with sign-in vars, and the whole browser
 * journey of an MCP client's login — consent page, the provider's login form, the callback, the
 * token endpoint — over real HTTP to the provider.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { inject } from "vitest";
import type { OidcProviderInfo } from "../../idp/context.js";
import worker from "../../src/index.js";
import { ORIGIN } from "./oauth.js";

export const idp = JSON.parse(inject("oidcProvider")) as OidcProviderInfo;

export const REDIRECT = "http://127.0.0.1:8976/callback";

/** The default role map of these tests. */
export const ROLE_MAP = JSON.stringify({
  groups: { "tp-admins": "admin", "tp-operators": "operator", staff: "analyst" },
  email: { "cfo@example.com": "admin" },
});

/** Sign-in vars for the test provider; demo users off as in production. */
export function oidcVars(extra: Record<string, string> = {}): Record<string, string> {
  return {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_PROVIDER_NAME: "Test IdP",
    ROLE_MAP,
    DEMO_USERS: "off",
    ...extra,
  };
}

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** The Worker under test with `vars` over the test bindings. */
export function workerWith(vars: Record<string, string>): Fetch {
  return async (url, init) => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(new URL(url, ORIGIN), init), { ...env, ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

/** A browser's cookies for the Worker's origin. */
export class CookieJar {
  private readonly jar = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (gone) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

function b64url(bytes: ArrayBuffer | Uint8Array): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export interface IdpUser {
  sub?: string;
  email?: string;
  groups?: string[];
  tamper?: string;
}

/** Each step of one login, for the tests to look at. */
export interface OidcJourney {
  /** The Worker's answer at `/auth/callback`. */
  callback: Response;
  callbackUrl: string;
  jar: CookieJar;
  /** The access token, when the login went through. */
  token?: string;
}

/** The consent page an MCP client's login opens (registration, PKCE, `/authorize`). */
export interface Consent {
  status: number;
  html: string;
  handle?: string;
  jar: CookieJar;
  clientId: string;
  verifier: string;
}

/** Registers an MCP client and opens its consent page, sending `headers` (e.g. an Access assertion). */
export async function openConsent(fetcher: Fetch, headers: Record<string, string> = {}): Promise<Consent> {
  const reg = await fetcher("/oauth/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "oidc tests",
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: "none",
    }),
  });
  if (reg.status !== 201) throw new Error(`registration: ${reg.status} ${await reg.text()}`);
  const { client_id } = (await reg.json()) as { client_id: string };
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({
    response_type: "code",
    client_id,
    redirect_uri: REDIRECT,
    state: "client-state",
    code_challenge: challenge,
    code_challenge_method: "S256",
    scope: "toolpacks",
    resource: `${ORIGIN}/mcp`,
  });
  const jar = new CookieJar();
  const consent = await fetcher(`/authorize?${query}`, { headers });
  const html = await consent.text();
  jar.take(consent);
  const handle = /name="handle" value="([^"]+)"/.exec(html)?.[1];
  return { status: consent.status, html, jar, clientId: client_id, verifier, ...(handle ? { handle } : {}) };
}

/** Posts the consent form with `fields` (method, user, password…) and `headers`. */
export async function submitConsent(
  fetcher: Fetch,
  consent: Consent,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const response = await fetcher("/authorize", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: consent.jar.header(),
      ...headers,
    },
    body: new URLSearchParams({ handle: consent.handle ?? "", action: "allow", ...fields }),
    redirect: "manual",
  });
  consent.jar.take(response);
  return response;
}

/** An MCP client's registration and the consent page, up to the redirect to the provider. */
export async function startLogin(
  fetcher: Fetch,
): Promise<{ idpUrl: string; jar: CookieJar; clientId: string; verifier: string }> {
  const consent = await openConsent(fetcher);
  if (consent.status !== 200 || !consent.handle)
    throw new Error(`authorize page: ${consent.status} ${consent.html}`);
  const approved = await submitConsent(fetcher, consent, { method: "oidc" });
  const idpUrl = approved.headers.get("location");
  if (approved.status !== 302 || !idpUrl)
    throw new Error(`consent: ${approved.status} ${await approved.text()}`);
  return { idpUrl, jar: consent.jar, clientId: consent.clientId, verifier: consent.verifier };
}

/** At the provider: its login form, then the login, which redirects back to the Worker. */
export async function loginAtIdp(idpUrl: string, user: IdpUser): Promise<string> {
  const form = await fetch(idpUrl);
  const html = await form.text();
  if (form.status !== 200 || !html.includes("Test identity provider"))
    throw new Error(`idp authorize: ${form.status} ${html}`);
  const params = new URL(idpUrl).searchParams;
  const body = new URLSearchParams();
  for (const k of ["client_id", "redirect_uri", "state", "nonce", "code_challenge", "scope"])
    body.set(k, params.get(k) ?? "");
  body.set("sub", user.sub ?? "u-1");
  body.set("email", user.email ?? "user@example.com");
  body.set("groups", (user.groups ?? []).join(","));
  body.set("tamper", user.tamper ?? "none");
  const back = await fetch(`${idp.issuer}/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
    redirect: "manual",
  });
  const location = back.headers.get("location");
  if (back.status !== 302 || !location) throw new Error(`idp login: ${back.status} ${await back.text()}`);
  return location;
}

/** The MCP client's token request with the code it received. */
export async function redeem(
  fetcher: Fetch,
  location: string,
  clientId: string,
  verifier: string,
): Promise<string> {
  const code = new URL(location).searchParams.get("code");
  if (!code) throw new Error(`no code in ${location}`);
  const token = await fetcher("/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      client_id: clientId,
      code_verifier: verifier,
      resource: `${ORIGIN}/mcp`,
    }),
  });
  if (token.status !== 200) throw new Error(`token: ${token.status} ${await token.text()}`);
  return ((await token.json()) as { access_token: string }).access_token;
}

/** One whole login through the provider as `user`. */
export async function oidcLogin(fetcher: Fetch, user: IdpUser): Promise<OidcJourney> {
  const { idpUrl, jar, clientId, verifier } = await startLogin(fetcher);
  const callbackUrl = await loginAtIdp(idpUrl, user);
  const callback = await fetcher(callbackUrl, { headers: { cookie: jar.header() }, redirect: "manual" });
  jar.take(callback);
  const location = callback.headers.get("location");
  const journey: OidcJourney = { callback, callbackUrl, jar };
  if (callback.status === 302 && location?.startsWith(REDIRECT))
    journey.token = await redeem(fetcher, location, clientId, verifier);
  return journey;
}

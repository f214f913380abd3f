/**
 * The OAuth 2.1 authorization-code flow with PKCE against the Worker, over any `fetch` (inside
 * workerd for the tests, Node for the browser check): dynamic client registration, the login and
 * consent page, the token endpoint. Returns the access token.
 */
const REDIRECT = "http://127.0.0.1:8976/callback";

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

function b64url(bytes: ArrayBuffer | Uint8Array): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** Registers a public client and signs `user` in through /authorize; `origin` is the Worker's. */
export async function oauthSignIn(
  fetcher: Fetch,
  origin: string,
  user: string,
  password = "demo",
): Promise<string> {
  const reg = await fetcher(`${origin}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "toolpacks tests",
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: "none",
    }),
  });
  if (reg.status !== 201) throw new Error(`registration failed: ${reg.status} ${await reg.text()}`);
  const { client_id } = (await reg.json()) as { client_id: string };
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({
    response_type: "code",
    client_id,
    redirect_uri: REDIRECT,
    state: "s1",
    code_challenge: challenge,
    code_challenge_method: "S256",
    scope: "toolpacks",
    resource: `${origin}/mcp`,
  });
  const consent = await fetcher(`${origin}/authorize?${query}`);
  if (consent.status !== 200) throw new Error(`authorize page: ${consent.status} ${await consent.text()}`);
  const handle = /name="handle" value="([^"]+)"/.exec(await consent.text())?.[1];
  if (!handle) throw new Error("no consent handle on the page");
  const approved = await fetcher(`${origin}/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(consent) },
    body: new URLSearchParams({ handle, user, password, action: "allow" }),
    redirect: "manual",
  });
  const location = approved.headers.get("location");
  if (approved.status !== 302 || !location)
    throw new Error(`consent: ${approved.status} ${await approved.text()}`);
  const code = new URL(location).searchParams.get("code");
  if (!code) throw new Error(`no code in ${location}`);
  const token = await fetcher(`${origin}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      client_id,
      code_verifier: verifier,
      resource: `${origin}/mcp`,
    }),
  });
  if (token.status !== 200) throw new Error(`token: ${token.status} ${await token.text()}`);
  return ((await token.json()) as { access_token: string }).access_token;
}

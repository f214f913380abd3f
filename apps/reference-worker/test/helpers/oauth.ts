/**
 * Test helpers: a real OAuth 2.1 authorization-code flow with PKCE against the Worker (dynamic
 * client registration, the login and consent page, the token endpoint), and MCP clients that
 * send the resulting token.
 */
import { exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export const ORIGIN = "https://toolpacks.test";
const REDIRECT = "http://127.0.0.1:8976/callback";

/** Sends a request to the Worker under test. */
export function worker(input: string | Request, init?: RequestInit): Promise<Response> {
  const request = typeof input === "string" ? new Request(new URL(input, ORIGIN), init) : input;
  return exports.default.fetch(request);
}

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

/** Registers a public client and signs `user` in through /authorize; returns the access token. */
export async function signInAs(user: "ana" | "oscar" | "ada", password = "demo"): Promise<string> {
  const reg = await worker("/oauth/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "vitest",
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
    resource: `${ORIGIN}/mcp`,
  });
  const consent = await worker(`/authorize?${query}`);
  if (consent.status !== 200) throw new Error(`authorize page: ${consent.status} ${await consent.text()}`);
  const html = await consent.text();
  const handle = /name="handle" value="([^"]+)"/.exec(html)?.[1];
  if (!handle) throw new Error("no consent handle on the page");
  const form = new URLSearchParams({ handle, user, password, action: "allow" });
  const approved = await worker("/authorize", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(consent) },
    body: form,
    redirect: "manual",
  });
  const location = approved.headers.get("location");
  if (approved.status !== 302 || !location)
    throw new Error(`consent: ${approved.status} ${await approved.text()}`);
  const code = new URL(location).searchParams.get("code");
  if (!code) throw new Error(`no code in ${location}`);
  const token = await worker("/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      client_id,
      code_verifier: verifier,
      resource: `${ORIGIN}/mcp`,
    }),
  });
  if (token.status !== 200) throw new Error(`token: ${token.status} ${await token.text()}`);
  return ((await token.json()) as { access_token: string }).access_token;
}

/** An MCP client connected to `path` with `token`. */
export async function mcpClient(path: string, token: string): Promise<Client> {
  const client = new Client({ name: "vitest", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(path, ORIGIN), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: (input, init) => worker(new Request(input, init)),
  });
  await client.connect(transport);
  return client;
}

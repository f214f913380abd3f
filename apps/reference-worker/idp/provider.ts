/**
 * A small, standards-following OpenID Connect provider for the tests (Node, `node:http`, keys and
 * tokens by `jose`): discovery, JWKS, an authorization endpoint with a login form, a token
 * endpoint (authorization code, PKCE S256 required, client_secret_basic or client_secret_post,
 * single-use codes bound to client and redirect URI), userinfo, and Cloudflare Access's
 * `/cdn-cgi/access/certs` for a second key set. Every response is a real HTTP response; nothing
 * in the Worker knows it is talking to a test.
 *
 * The login form lets the tester say who signs in (`sub`, `email`, `groups`) and, to prove the
 * Worker refuses them, how the ID token should be wrong (`tamper`).
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** How the ID token of one login is made wrong, to test that the relying party refuses it. */
export const TAMPERS = [
  "none",
  "aud", // audience is another client
  "iss", // issuer is another provider
  "expired", // exp two hours ago
  "signature", // signed with a key outside the JWKS (same kid)
  "nonce", // the nonce of the previous login (a replayed token)
  "no-nonce", // no nonce at all
  "hs256", // HMAC with the client secret: a symmetric algorithm the Worker must refuse
  "userinfo-groups", // groups only at the userinfo endpoint, not in the ID token
] as const;
export type Tamper = (typeof TAMPERS)[number];

export interface ProviderClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs; a URI ending in `/auth/callback` on any origin when omitted (tests start Workers on random ports). */
  redirectUris?: string[];
}

export interface RunningProvider {
  issuer: string;
  /** Private JWK (with `kid`) of the Cloudflare Access key set served at `/cdn-cgi/access/certs`. */
  accessPrivateJwk: JWK;
  close(): Promise<void>;
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  claims: Record<string, unknown>;
  tamper: Tamper;
  expires: number;
}

const b64url = (b: Buffer) => b.toString("base64url");
const esc = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
}

/** Starts the provider on 127.0.0.1 (a random port unless `port` is given). */
export async function startOidcProvider(options: {
  clients: ProviderClient[];
  port?: number;
}): Promise<RunningProvider> {
  const signing = await generateKeyPair("RS256", { extractable: true });
  const rogue = await generateKeyPair("RS256", { extractable: true });
  const access = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = { ...(await exportJWK(signing.publicKey)), kid: "idp-1", alg: "RS256", use: "sig" };
  const accessPublic = { ...(await exportJWK(access.publicKey)), kid: "access-1", alg: "RS256", use: "sig" };
  const accessPrivateJwk = { ...(await exportJWK(access.privateKey)), kid: "access-1", alg: "RS256" };
  const codes = new Map<string, CodeGrant>();
  const accessTokens = new Map<string, Record<string, unknown>>();
  let previousNonce = "nonce-of-an-earlier-login";
  let issuer = "";

  const client = (id: string | null) => options.clients.find((c) => c.clientId === id);
  const redirectAllowed = (c: ProviderClient, uri: string | null): uri is string => {
    if (!uri) return false;
    if (c.redirectUris) return c.redirectUris.includes(uri);
    try {
      return new URL(uri).pathname === "/auth/callback";
    } catch {
      return false;
    }
  };

  async function idToken(grant: CodeGrant): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const { groups, ...rest } = grant.claims;
    const claims: Record<string, unknown> = {
      ...rest,
      ...(grant.tamper === "userinfo-groups" ? {} : { groups }),
    };
    if (grant.tamper !== "no-nonce" && grant.nonce !== undefined)
      claims.nonce = grant.tamper === "nonce" ? previousNonce : grant.nonce;
    const iat = grant.tamper === "expired" ? now - 7200 : now;
    const jwt = new SignJWT(claims)
      .setIssuer(grant.tamper === "iss" ? "https://other-idp.example" : issuer)
      .setAudience(grant.tamper === "aud" ? "another-client" : grant.clientId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 600);
    if (grant.tamper === "hs256") {
      const secret = new TextEncoder().encode(client(grant.clientId)?.clientSecret ?? "");
      return jwt.setProtectedHeader({ alg: "HS256", kid: "idp-1" }).sign(secret);
    }
    jwt.setProtectedHeader({ alg: "RS256", kid: "idp-1", typ: "JWT" });
    return jwt.sign(grant.tamper === "signature" ? rogue.privateKey : signing.privateKey);
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await body(req);
    let id = form.get("client_id");
    let secret = form.get("client_secret");
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "");
    if (basic?.[1]) {
      const [u, p] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
      id = decodeURIComponent((u ?? "").replaceAll("+", " "));
      secret = decodeURIComponent((p ?? "").replaceAll("+", " "));
    }
    const c = client(id);
    if (!c || secret !== c.clientSecret) return json(res, 401, { error: "invalid_client" });
    if (form.get("grant_type") !== "authorization_code")
      return json(res, 400, { error: "unsupported_grant_type" });
    const code = form.get("code") ?? "";
    const grant = codes.get(code);
    codes.delete(code); // single use, whatever happens next
    if (!grant || grant.expires < Date.now() || grant.clientId !== c.clientId)
      return json(res, 400, { error: "invalid_grant", error_description: "unknown, used or expired code" });
    if (form.get("redirect_uri") !== grant.redirectUri)
      return json(res, 400, { error: "invalid_grant", error_description: "redirect_uri differs" });
    const verifier = form.get("code_verifier") ?? "";
    if (b64url(createHash("sha256").update(verifier).digest()) !== grant.challenge)
      return json(res, 400, { error: "invalid_grant", error_description: "PKCE verification failed" });
    const accessToken = b64url(randomBytes(24));
    accessTokens.set(accessToken, grant.claims);
    const id_token = await idToken(grant);
    if (grant.nonce) previousNonce = grant.nonce;
    json(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 600, id_token });
  }

  function loginForm(params: URLSearchParams): string {
    const hidden = ["client_id", "redirect_uri", "state", "nonce", "code_challenge", "scope"]
      .map((k) => `<input type="hidden" name="${k}" value="${esc(params.get(k) ?? "")}">`)
      .join("");
    const tampers = TAMPERS.map((t) => `<option>${t}</option>`).join("");
    return `<!doctype html><title>Test IdP</title><h1>Test identity provider</h1>
<form method="post" action="/authorize">${hidden}
<label>Subject <input name="sub" value="u-1"></label>
<label>Email <input name="email" value="user@example.com"></label>
<label>Groups (comma-separated) <input name="groups" value=""></label>
<label>Tamper <select name="tamper">${tampers}</select></label>
<button type="submit">Sign in</button></form>`;
  }

  async function authorize(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const params = req.method === "POST" ? await body(req) : url.searchParams;
    const c = client(params.get("client_id"));
    const redirectUri = params.get("redirect_uri");
    // Never redirect to an unverified URI: those errors are shown here.
    if (!c || !redirectAllowed(c, redirectUri)) {
      res.writeHead(400, { "content-type": "text/plain" });
      return void res.end("unknown client or redirect_uri");
    }
    const back = new URL(redirectUri);
    const state = params.get("state");
    if (state) back.searchParams.set("state", state);
    back.searchParams.set("iss", issuer);
    const fail = (error: string) => {
      back.searchParams.set("error", error);
      res.writeHead(302, { location: back.href });
      res.end();
    };
    if (req.method === "GET") {
      if (url.searchParams.get("response_type") !== "code") return fail("unsupported_response_type");
      if (!(url.searchParams.get("scope") ?? "").split(" ").includes("openid")) return fail("invalid_scope");
      if (url.searchParams.get("code_challenge_method") !== "S256" || !url.searchParams.get("code_challenge"))
        return fail("invalid_request");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return void res.end(loginForm(url.searchParams));
    }
    if (params.get("deny")) return fail("access_denied");
    const tamper = (TAMPERS as readonly string[]).includes(params.get("tamper") ?? "")
      ? (params.get("tamper") as Tamper)
      : "none";
    const groups = (params.get("groups") ?? "")
      .split(",")
      .map((g) => g.trim())
      .filter(Boolean);
    const code = b64url(randomBytes(24));
    codes.set(code, {
      clientId: c.clientId,
      redirectUri,
      challenge: params.get("code_challenge") ?? "",
      nonce: params.get("nonce") || undefined,
      claims: {
        sub: params.get("sub") || "u-1",
        email: params.get("email") || undefined,
        email_verified: true,
        groups,
      },
      tamper,
      expires: Date.now() + 60_000,
    });
    back.searchParams.set("code", code);
    res.writeHead(302, { location: back.href });
    res.end();
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer || "http://127.0.0.1");
    const route = `${req.method} ${url.pathname}`;
    const done = (p: Promise<void> | void) =>
      Promise.resolve(p).catch((err: unknown) => {
        if (!res.headersSent) json(res, 500, { error: "server_error", error_description: String(err) });
      });
    switch (route) {
      case "GET /.well-known/openid-configuration":
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          userinfo_endpoint: `${issuer}/userinfo`,
          response_types_supported: ["code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
          token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
          code_challenge_methods_supported: ["S256"],
          grant_types_supported: ["authorization_code"],
          scopes_supported: ["openid", "email", "profile", "groups"],
          authorization_response_iss_parameter_supported: true,
        });
      case "GET /jwks":
        return json(res, 200, { keys: [publicJwk] });
      case "GET /cdn-cgi/access/certs":
        return json(res, 200, { keys: [accessPublic] });
      case "GET /authorize":
      case "POST /authorize":
        return void done(authorize(req, res, url));
      case "POST /token":
        return void done(token(req, res));
      case "GET /userinfo": {
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
        const claims = bearer ? accessTokens.get(bearer) : undefined;
        if (!claims) return json(res, 401, { error: "invalid_token" });
        return json(res, 200, claims);
      }
      default:
        return json(res, 404, { error: "not_found" });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    accessPrivateJwk,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

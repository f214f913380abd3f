import type { AuthInfo } from "@modelcontextprotocol/server";

/** Claims of an access token a verifier accepted. */
export interface VerifiedToken {
  /** Who the token speaks for (becomes the tool context's principal). */
  subject: string;
  /** OAuth client that obtained it. */
  clientId?: string;
  /** `aud` claim: must name this server's resource URI (RFC 8707) or the token is refused. */
  audience: string | readonly string[];
  scopes: readonly string[];
  /** Expiry in seconds since the epoch; an expired token is refused. */
  expiresAt?: number;
}

/** OAuth 2.1 resource-server mode: tokens come from an authorization server the operator trusts. */
export interface OAuthResourceOptions {
  /** Canonical URI of the MCP endpoint, e.g. `https://crm.example.com/mcp`; tokens must be issued for it. */
  resource: string;
  /** Issuer URLs of the authorization servers, published in the protected-resource metadata. */
  authorizationServers: readonly string[];
  scopesSupported?: readonly string[];
  /**
   * Checks a token's signature, issuer and lifetime (e.g. against the issuer's JWKS or by
   * introspection) and returns its claims, or `undefined` (or throws) when it is not valid.
   * The kit checks the audience and expiry itself.
   */
  verifyToken(token: string): Promise<VerifiedToken | undefined>;
}

/** Who may call the HTTP endpoint. With neither tokens nor oauth, nobody needs a credential. */
export interface HttpAuthOptions {
  /** Static bearer tokens (e.g. `TOOLPACKS_TOKEN`); each grants every scope. */
  tokens?: readonly string[];
  oauth?: OAuthResourceOptions;
}

/** Path of the RFC 9728 metadata document for a resource URI: `/.well-known/oauth-protected-resource/<path>`. */
export function protectedResourceMetadataPath(resource: string): string {
  const path = new URL(resource).pathname.replace(/\/$/, "");
  return `/.well-known/oauth-protected-resource${path}`;
}

/** The RFC 9728 protected-resource metadata document. */
export function protectedResourceMetadata(
  oauth: OAuthResourceOptions,
  resourceName: string,
): Record<string, unknown> {
  return {
    resource: oauth.resource,
    authorization_servers: oauth.authorizationServers,
    ...(oauth.scopesSupported ? { scopes_supported: oauth.scopesSupported } : {}),
    bearer_methods_supported: ["header"],
    resource_name: resourceName,
  };
}

const normalise = (uri: string) => uri.replace(/#.*$/, "").replace(/\/+$/, "");

async function sameSecret(a: string, b: string): Promise<boolean> {
  // Compare digests so the time taken says nothing about how much of the token matched.
  const digest = async (s: string) =>
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
  const [x, y] = await Promise.all([digest(a), digest(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/** Outcome of checking a request's credential. */
export type AuthOutcome = { ok: true; authInfo?: AuthInfo } | { ok: false; response: Response };

function refuse(
  auth: HttpAuthOptions,
  metadataUrl: string | undefined,
  error?: string,
  description?: string,
): Response {
  const params = [
    ...(auth.oauth ? [] : ['realm="toolpacks"']),
    ...(error ? [`error="${error}"`, `error_description="${description}"`] : []),
    ...(metadataUrl ? [`resource_metadata="${metadataUrl}"`] : []),
  ];
  const body = {
    error: error ?? "unauthorized",
    error_description: description ?? "This MCP server needs a bearer token in the Authorization header.",
  };
  return new Response(JSON.stringify(body), {
    status: 401,
    headers: { "content-type": "application/json", "www-authenticate": `Bearer ${params.join(", ")}` },
  });
}

/**
 * Checks the request's `Authorization: Bearer` credential against the static tokens, then the
 * OAuth verifier (with audience and expiry checks). Refusals are 401 with a `WWW-Authenticate`
 * header pointing at the protected-resource metadata; their bodies never mention the store.
 */
export async function authenticate(request: Request, auth: HttpAuthOptions): Promise<AuthOutcome> {
  if (!auth.tokens?.length && !auth.oauth) return { ok: true };
  const metadataUrl = auth.oauth
    ? new URL(protectedResourceMetadataPath(auth.oauth.resource), auth.oauth.resource).href
    : undefined;
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  if (!match) return { ok: false, response: refuse(auth, metadataUrl) };
  const token = match[1]!;
  for (const known of auth.tokens ?? []) {
    if (await sameSecret(token, known))
      return { ok: true, authInfo: { token, clientId: "static-token", scopes: ["*"] } };
  }
  if (auth.oauth) {
    let claims: VerifiedToken | undefined;
    try {
      claims = await auth.oauth.verifyToken(token);
    } catch {
      claims = undefined;
    }
    if (!claims)
      return {
        ok: false,
        response: refuse(auth, metadataUrl, "invalid_token", "The access token is not valid."),
      };
    const audiences = (typeof claims.audience === "string" ? [claims.audience] : claims.audience).map(
      normalise,
    );
    if (!audiences.includes(normalise(auth.oauth.resource))) {
      return {
        ok: false,
        response: refuse(
          auth,
          metadataUrl,
          "invalid_token",
          "The access token was issued for another resource.",
        ),
      };
    }
    if (claims.expiresAt !== undefined && claims.expiresAt * 1000 <= Date.now()) {
      return {
        ok: false,
        response: refuse(auth, metadataUrl, "invalid_token", "The access token has expired."),
      };
    }
    return {
      ok: true,
      authInfo: {
        token,
        clientId: claims.clientId ?? claims.subject,
        scopes: [...claims.scopes],
        ...(claims.expiresAt !== undefined ? { expiresAt: claims.expiresAt } : {}),
        resource: new URL(auth.oauth.resource),
        extra: { subject: claims.subject },
      },
    };
  }
  return {
    ok: false,
    response: refuse(auth, metadataUrl, "invalid_token", "The bearer token is not valid."),
  };
}

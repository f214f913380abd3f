/**
 * OAuth 2.1 in front of every MCP endpoint (`/mcp` and `/mcp/<pack>`), with
 * @cloudflare/workers-oauth-provider as authorization server and resource server in one Worker.
 * The resource is `<origin>/mcp`, which covers the pack endpoints below it; the origin is
 * `PUBLIC_URL` when set (set it in production) or the request's own, so `wrangler dev`, the
 * tests and a custom domain all work without editing code.
 */
import { OAuthProvider } from "@cloudflare/workers-oauth-provider";
import type { Env } from "../env.js";

const providers = new Map<string, OAuthProvider<Env>>();

export interface ProviderHandlers {
  /** Requests to `/mcp…` with a valid token; `ctx.props` holds the grant's props. */
  api: ExportedHandler<Env> & Pick<Required<ExportedHandler<Env>>, "fetch">;
  /** Everything else: login and consent, inspector, agent, home. */
  app: ExportedHandler<Env>;
}

/** The Worker's public origin: `PUBLIC_URL` when set, else the request's own; no trailing slash. */
export function publicOrigin(request: Request, env: Pick<Env, "PUBLIC_URL">): string {
  return (env.PUBLIC_URL ?? new URL(request.url).origin).replace(/\/$/, "").toLowerCase();
}

/** The provider for the request's public origin (built once per origin per isolate). */
export function providerFor(request: Request, env: Env, handlers: ProviderHandlers): OAuthProvider<Env> {
  const origin = publicOrigin(request, env);
  let provider = providers.get(origin);
  if (!provider) {
    provider = new OAuthProvider<Env>({
      apiHandlers: { "/mcp": handlers.api },
      defaultHandler: handlers.app,
      authorizeEndpoint: "/authorize",
      tokenEndpoint: "/oauth/token",
      clientRegistrationEndpoint: "/oauth/register",
      scopesSupported: ["toolpacks"],
      // Clients may register dynamically or identify themselves by a metadata document URL.
      clientIdMetadataDocumentEnabled: true,
      accessTokenTTL: 3600,
      resourceMetadata: {
        resource: `${origin}/mcp`,
        resource_name: "Toolpacks reference (CRM, ERP, warehouse, billing)",
      },
    });
    providers.set(origin, provider);
  }
  return provider;
}

/**
 * The Worker's sign-in configuration, read from its vars and secrets (wrangler.jsonc `vars`,
 * `wrangler secret put`). Three methods, each off unless configured:
 * - OpenID Connect: `OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET` (a secret; omit for a
 *   public client), `OIDC_SCOPES` (default `openid email profile`), `OIDC_PROVIDER_NAME`.
 * - Cloudflare Access: `ACCESS_TEAM_DOMAIN` (`https://<team>.cloudflareaccess.com`) and
 *   `ACCESS_AUD` (the Access application's audience tag).
 * - Demo users: only when `DEMO_USERS` is exactly `on` (local development).
 * Roles come from `ROLE_MAP` (see roles.ts); `USER_CLAIM` names the claim that identifies the
 * user in audits and the inspector (default `email`, falling back to `sub`).
 */
import { SignInError } from "./errors.js";
import { parseRoleMap, type RoleMap } from "./roles.js";

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret?: string;
  scopes: string[];
  /** Shown on the sign-in button. */
  providerName: string;
}

export interface AccessConfig {
  /** `https://<team>.cloudflareaccess.com`, no trailing slash: the assertion's issuer. */
  teamDomain: string;
  /** The Access application's audience (AUD) tag. */
  audience: string;
}

export interface AuthConfig {
  oidc?: OidcConfig;
  access?: AccessConfig;
  demo: boolean;
  roleMap: RoleMap;
  userClaim: string;
}

/** The env keys this module reads (all strings, all optional). */
export interface AuthEnv {
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_CLIENT_SECRET?: string;
  OIDC_SCOPES?: string;
  OIDC_PROVIDER_NAME?: string;
  ACCESS_TEAM_DOMAIN?: string;
  ACCESS_AUD?: string;
  ROLE_MAP?: string;
  USER_CLAIM?: string;
  DEMO_USERS?: string;
  /** Signs the inspector's session cookies (a Worker secret, at least 32 characters). */
  SESSION_SECRET?: string;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** An https URL (http only for a loopback host, which is how a local provider runs), no trailing slash. */
function baseUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SignInError(
      "AUTH_CONFIG_INVALID",
      `${name} is not a URL: set it to e.g. https://idp.example.com.`,
    );
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.test(url.hostname))) {
    throw new SignInError(
      "AUTH_CONFIG_INVALID",
      `${name} must use https (http is accepted only for localhost): got ${url.protocol}//${url.host}.`,
    );
  }
  if (url.search || url.hash)
    throw new SignInError("AUTH_CONFIG_INVALID", `${name} must not have a query or fragment.`);
  return url.href.replace(/\/$/, "");
}

function set(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== "";
}

/**
 * Reads and validates the configuration.
 * @throws SignInError `AUTH_CONFIG_INVALID` naming the variable at fault.
 */
export function readAuthConfig(env: AuthEnv): AuthConfig {
  const config: AuthConfig = {
    demo: env.DEMO_USERS === "on",
    roleMap: parseRoleMap(env.ROLE_MAP),
    userClaim: set(env.USER_CLAIM) ? env.USER_CLAIM.trim() : "email",
  };
  if (set(env.OIDC_ISSUER)) {
    if (!set(env.OIDC_CLIENT_ID))
      throw new SignInError(
        "AUTH_CONFIG_INVALID",
        "OIDC_ISSUER is set but OIDC_CLIENT_ID is not: set the client ID the provider gave this Worker.",
      );
    const issuer = baseUrl("OIDC_ISSUER", env.OIDC_ISSUER.trim());
    const scopes = (set(env.OIDC_SCOPES) ? env.OIDC_SCOPES : "openid email profile")
      .split(/[\s,]+/)
      .filter(Boolean);
    config.oidc = {
      issuer,
      clientId: env.OIDC_CLIENT_ID.trim(),
      ...(set(env.OIDC_CLIENT_SECRET) ? { clientSecret: env.OIDC_CLIENT_SECRET } : {}),
      scopes: scopes.includes("openid") ? scopes : ["openid", ...scopes],
      providerName: set(env.OIDC_PROVIDER_NAME) ? env.OIDC_PROVIDER_NAME.trim() : new URL(issuer).host,
    };
  }
  if (set(env.ACCESS_TEAM_DOMAIN) || set(env.ACCESS_AUD)) {
    if (!set(env.ACCESS_TEAM_DOMAIN) || !set(env.ACCESS_AUD))
      throw new SignInError(
        "AUTH_CONFIG_INVALID",
        "Cloudflare Access needs both ACCESS_TEAM_DOMAIN (https://<team>.cloudflareaccess.com) and ACCESS_AUD (the application's audience tag).",
      );
    const domain = env.ACCESS_TEAM_DOMAIN.trim();
    config.access = {
      teamDomain: baseUrl("ACCESS_TEAM_DOMAIN", /^[a-z]+:\/\//i.test(domain) ? domain : `https://${domain}`),
      audience: env.ACCESS_AUD.trim(),
    };
  }
  return config;
}

/** True when at least one sign-in method is enabled. */
export function anySignIn(config: AuthConfig): boolean {
  return config.oidc !== undefined || config.access !== undefined || config.demo;
}

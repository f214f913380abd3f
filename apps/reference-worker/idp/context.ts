/** What the test provider's global setup hands the workerd tests (`inject("oidcProvider")`, JSON). */
import type { JWK } from "jose";

export interface OidcProviderInfo {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Signs Cloudflare Access assertions that `<issuer>/cdn-cgi/access/certs` vouches for. */
  accessPrivateJwk: JWK;
}

declare module "vitest" {
  export interface ProvidedContext {
    oidcProvider: string;
  }
}

/**
 * Vitest global setup (Node): starts the test OpenID Connect provider (provider.ts) for the
 * workerd tests and hands them its issuer, its client's credentials and the Access signing key.
 */
import type { TestProject } from "vitest/node";
import type { OidcProviderInfo } from "./context.js";
import { startOidcProvider } from "./provider.js";

/** The client the Worker is registered as at the test provider. */
export const TEST_CLIENT = { clientId: "toolpacks-reference", clientSecret: "idp-client-secret-7f3a9c" };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const provider = await startOidcProvider({ clients: [TEST_CLIENT] });
  const info: OidcProviderInfo = {
    issuer: provider.issuer,
    ...TEST_CLIENT,
    accessPrivateJwk: provider.accessPrivateJwk,
  };
  project.provide("oidcProvider", JSON.stringify(info));
  return () => provider.close();
}

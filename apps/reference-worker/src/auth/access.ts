/**
 * Cloudflare Access in front of the Worker: Access signs each request it lets through with a JWT
 * in the `Cf-Access-Jwt-Assertion` header. It is verified against the team's public keys
 * (`<team domain>/cdn-cgi/access/certs`, fetched with `jose` and cached per isolate), with the
 * team domain as issuer and the application's audience tag as audience, and an expiry. A request
 * that did not come through Access has no such header, and one that forges it fails the signature.
 */
import { createRemoteJWKSet, jwtVerify } from "jose";
import type { AccessConfig } from "./config.js";
import { SignInError } from "./errors.js";
import { describeJoseError } from "./oidc.js";

/** The header Cloudflare Access sets on requests it has authenticated. */
export const ACCESS_HEADER = "cf-access-jwt-assertion";

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function certs(teamDomain: string): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(teamDomain);
  if (!set) {
    set = createRemoteJWKSet(new URL(`${teamDomain}/cdn-cgi/access/certs`));
    keySets.set(teamDomain, set);
  }
  return set;
}

/** Whether the request carries an Access assertion at all. */
export function hasAccessAssertion(request: Request): boolean {
  return request.headers.has(ACCESS_HEADER);
}

/**
 * The claims of the request's Access assertion (`email`, `sub`, and `custom` for an IdP's
 * custom OIDC claims).
 * @throws SignInError `ACCESS_ASSERTION_INVALID` when it is missing or fails a check.
 */
export async function verifyAccess(request: Request, config: AccessConfig): Promise<Record<string, unknown>> {
  const jwt = request.headers.get(ACCESS_HEADER);
  if (!jwt)
    throw new SignInError(
      "ACCESS_ASSERTION_INVALID",
      "This request did not come through Cloudflare Access (no Cf-Access-Jwt-Assertion header). Open the page through the Access-protected hostname.",
    );
  try {
    const { payload } = await jwtVerify(jwt, certs(config.teamDomain), {
      issuer: config.teamDomain,
      audience: config.audience,
      algorithms: ["RS256"],
      clockTolerance: 60,
      requiredClaims: ["exp", "iat"],
    });
    return payload;
  } catch (err) {
    throw new SignInError(
      "ACCESS_ASSERTION_INVALID",
      `The Cloudflare Access assertion was refused: ${describeJoseError(err)}. Sign in through Access again.`,
      { cause: err },
    );
  }
}

/**
 * From a verified identity (ID token or Access assertion claims) to the grant's props: who the
 * user is (`USER_CLAIM`, default `email`, else `sub`) and the role `ROLE_MAP` gives them.
 */
import type { AuthConfig } from "./config.js";
import { SignInError } from "./errors.js";
import type { AuthProps } from "./props.js";
import { claimAt, roleFor } from "./roles.js";

/** The longest user id kept (audit rows, inspector); longer identifiers are refused, not cut. */
export const MAX_USER_ID = 256;

/**
 * The props for a verified identity.
 * @throws SignInError `NO_ROLE` when no `ROLE_MAP` rule matches (the message names the user and
 *   says whom to ask), or `ID_TOKEN_INVALID` when the identity has no usable user id.
 */
export function identityFor(claims: Record<string, unknown>, config: AuthConfig, via: string): AuthProps {
  const named = claimAt(claims, config.userClaim);
  const user = typeof named === "string" && named !== "" ? named : claims.sub;
  if (typeof user !== "string" || user === "" || user.length > MAX_USER_ID)
    throw new SignInError(
      "ID_TOKEN_INVALID",
      `${via} did not say who you are (no ${config.userClaim} or sub claim of at most ${MAX_USER_ID} characters).`,
    );
  const role = roleFor(claims, config.roleMap);
  if (!role)
    throw new SignInError(
      "NO_ROLE",
      Object.keys(config.roleMap).length === 0
        ? `You are signed in at ${via} as ${user}, but this Worker maps no one to a role yet (ROLE_MAP is empty). Ask its administrator to set ROLE_MAP.`
        : `You are signed in at ${via} as ${user}, but none of your ${Object.keys(config.roleMap).join(", ")} claims grants a role here. Ask an administrator to add you to a group that ROLE_MAP maps to analyst, operator or admin.`,
    );
  return { user, role };
}

/**
 * What an OAuth grant carries to the MCP endpoints (`ctx.props`): the signed-in user and their
 * role. Parsed, never trusted as-is; the token itself never leaves the host.
 */
import { z } from "zod";
import { ROLES } from "../gateway/policy.js";

export const AuthPropsSchema = z.object({
  /** A demo user's id, or the identity provider's `USER_CLAIM` (an email, a `sub`). */
  user: z.string().min(1).max(256),
  role: z.enum(ROLES),
});
export type AuthProps = z.infer<typeof AuthPropsSchema>;

/** Reads the grant's props, or undefined when they are missing or malformed. */
export function readAuthProps(props: unknown): AuthProps | undefined {
  const parsed = AuthPropsSchema.safeParse(props);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The inspector's sign-in session, scoped to `/inspector`: a signed cookie naming the user and
 * role (demo users, or people signed in through the identity provider), or behind Cloudflare
 * Access the verified assertion of each request (auth/inspector-sign-in.ts).
 */

import {
  INSPECTOR_COOKIE,
  type InspectorSignInVia,
  inspectorSessionCookie,
  inspectorUser,
} from "../auth/inspector-sign-in.js";
import type { DemoUser } from "../auth/users.js";
import type { Env } from "../env.js";

/** The session cookie's name (a cookie session's CSRF token is derived from its value). */
export const SESSION_COOKIE = INSPECTOR_COOKIE;

/** Someone signed in to the inspector, and how (which decides how their CSRF token is made). */
export type SignedIn = DemoUser & { via: InspectorSignInVia };

/** A Set-Cookie value signing `user` in. */
export async function sessionCookie(env: Env, user: Pick<DemoUser, "id" | "role">): Promise<string> {
  const cookie = await inspectorSessionCookie(env, { user: user.id, role: user.role });
  if (!cookie) throw new Error("no session secret: set SESSION_SECRET (or DEMO_USERS=on with DEMO_PASSWORD)");
  return cookie;
}

/** The signed-in user, or undefined. */
export async function sessionUser(request: Request, env: Env): Promise<SignedIn | undefined> {
  const props = await inspectorUser(request, env);
  return (
    props && {
      id: props.user,
      name: `${props.user} (${props.role})`,
      role: props.role,
      does: "",
      via: props.via,
    }
  );
}

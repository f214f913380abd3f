/**
 * The demo users of the local login page, one per role, for local development only: they are
 * offered only when `DEMO_USERS=on` (the `dev` script and the tests turn it on; a deployment
 * signs in through an OpenID Connect provider or Cloudflare Access, see config.ts). Their
 * password is `DEMO_PASSWORD`.
 */
import type { Role } from "../gateway/policy.js";

export interface DemoUser {
  id: string;
  name: string;
  role: Role;
  does: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { id: "ana", name: "Ana (analyst)", role: "analyst", does: "reads every pack; any write is refused" },
  { id: "oscar", name: "Oscar (operator)", role: "operator", does: "writes, each one approved by an admin" },
  { id: "ada", name: "Ada (admin)", role: "admin", does: "reads and writes within budgets; approves writes" },
];

/**
 * The user for these credentials, or undefined: always undefined unless `DEMO_USERS` is exactly
 * `on`, so no page (consent, inspector) can sign a demo user in on a deployment. Compares in
 * constant time.
 */
export function signIn(
  env: { DEMO_PASSWORD?: string; DEMO_USERS?: string },
  id: unknown,
  password: unknown,
): DemoUser | undefined {
  if (env.DEMO_USERS !== "on") return undefined;
  const user = DEMO_USERS.find((u) => u.id === id);
  const expected = env.DEMO_PASSWORD;
  if (!user || !expected || typeof password !== "string") return undefined;
  return timingSafeEqual(password, expected) ? user : undefined;
}

function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Roles from an identity provider's claims, by configuration (`ROLE_MAP`): a JSON object from a
 * claim name to a table of claim values and the role each one grants, e.g.
 * `{"groups": {"toolpacks-admins": "admin", "staff": "analyst"}, "email": {"cto@example.com": "admin"}}`.
 * A claim may be a string, a number, a boolean or an array of them (groups); values compare
 * exactly, as strings. Nothing matching means no role: the user is refused, never defaulted.
 */
import { z } from "zod";
import { ROLES, type Role } from "../gateway/policy.js";
import { SignInError } from "./errors.js";

/** Claim name -> claim value -> role. */
export type RoleMap = Readonly<Record<string, Readonly<Record<string, Role>>>>;

const RoleMapSchema = z
  .record(z.string().min(1).max(256), z.record(z.string().min(1).max(1024), z.enum(ROLES)))
  .refine((m) => Object.keys(m).length > 0, "it names no claim");

/**
 * Parses `ROLE_MAP`. Absent or empty means no rule (everyone authenticated is refused a role).
 * @throws SignInError `AUTH_CONFIG_INVALID` naming what is wrong, for malformed JSON or a role
 *   outside analyst/operator/admin.
 */
export function parseRoleMap(raw: string | undefined): RoleMap {
  if (raw === undefined || raw.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new SignInError(
      "AUTH_CONFIG_INVALID",
      `ROLE_MAP is not valid JSON (${(err as Error).message}). Set it to an object like {"groups": {"toolpacks-admins": "admin"}}.`,
    );
  }
  const parsed = RoleMapSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SignInError(
      "AUTH_CONFIG_INVALID",
      `ROLE_MAP is malformed at ${issue?.path.join(".") || "(top)"}: ${issue?.message}. Expected {"<claim>": {"<value>": "analyst" | "operator" | "admin"}}.`,
    );
  }
  return parsed.data;
}

/**
 * A claim by name: the literal name first (namespaced claims such as
 * `https://example.com/roles` contain dots), then a dotted path into nested objects
 * (`custom.groups`, where Cloudflare Access puts an IdP's custom claims).
 */
export function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let at: unknown = claims;
  for (const part of name.split(".")) {
    if (at === null || typeof at !== "object" || Array.isArray(at) || !Object.hasOwn(at, part))
      return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

function claimValues(value: unknown): string[] {
  const scalar = (v: unknown): v is string | number | boolean =>
    typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  if (scalar(value)) return [String(value)];
  if (Array.isArray(value)) return value.filter(scalar).map(String);
  return [];
}

const RANK: Record<Role, number> = { analyst: 0, operator: 1, admin: 2 };

/**
 * The role `claims` earn under `map`: the most privileged role among the matching rules (a
 * member of both the admins and the staff group is an admin), or undefined when none matches.
 * An `email` rule is skipped when the provider says the address is unverified
 * (`email_verified: false`), so an unverified address never earns a role.
 */
export function roleFor(claims: Record<string, unknown>, map: RoleMap): Role | undefined {
  let best: Role | undefined;
  for (const [claim, table] of Object.entries(map)) {
    if (claim === "email" && claims.email_verified === false) continue;
    for (const value of claimValues(claimAt(claims, claim))) {
      const role = Object.hasOwn(table, value) ? table[value] : undefined;
      if (role && (best === undefined || RANK[role] > RANK[best])) best = role;
    }
  }
  return best;
}

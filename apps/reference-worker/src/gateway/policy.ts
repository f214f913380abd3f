/**
 * Roles of the OAuth grant mapped to governance policy. The analyst reads; the operator writes
 * once each write is approved; the admin writes freely within budgets. Enforced on the host for
 * every call and checked by preflight before a program runs (an analyst's write is refused
 * before any call is made).
 */
import type { PolicyInput } from "./governance.js";

/** The roles a demo user (and a token) can carry. */
export const ROLES = ["analyst", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const POLICY: PolicyInput = {
  version: 1,
  defaults: { read: "allow", write: "deny" },
  roles: {
    analyst: {
      readOnly: true,
      rules: [],
    },
    operator: {
      rules: [
        {
          tools: "*",
          kind: "write",
          effect: "require_approval",
          reason: "operators' writes wait for an admin's approval in the run inspector",
        },
      ],
      budgets: { maxWrites: 50 },
    },
    admin: {
      rules: [{ tools: "*", kind: "write", effect: "allow" }],
      budgets: { maxWrites: 200 },
    },
  },
};

/** Roles whose users decide other users' pending writes on the run inspector. */
export const APPROVER_ROLES: readonly Role[] = ["admin"];

/** Whether a user of `role` may approve or reject pending calls. */
export function mayApprove(role: string): boolean {
  return (APPROVER_ROLES as readonly string[]).includes(role);
}

import { GovernanceUsageError } from "../errors.js";
import { compilePattern, matchesAny } from "./pattern.js";
import type { Budgets, Policy, PolicyEffect, PolicyRule, ToolKind } from "./schema.js";

/** Who runs the program. */
export interface Subject {
  principal?: string;
  role?: string;
}

/** The outcome of looking a call up in the policy. */
export interface PolicyDecision {
  effect: PolicyEffect;
  /** Where it came from: `principal`, `role`, `policy`, `default` or `readOnly`. */
  source: "principal" | "role" | "policy" | "default" | "readOnly";
  reason?: string;
}

/** The policy narrowed to one subject: what `decide` and the budgets use for a whole run. */
export interface ResolvedPolicy {
  readonly policy: Policy;
  readonly subject: Subject;
  readonly readOnly: boolean;
  /** Every write needs approval, whatever the rules allow (`--approve deny`). */
  readonly approveEveryWrite: boolean;
  readonly budgets: ResolvedBudgets;
  /** Looks a call up: read-only first, then first matching rule, then the default for its kind. */
  decide(qualifiedName: string, kind: ToolKind): PolicyDecision;
}

/** Budgets merged over every scope (the smallest limit wins). */
export interface ResolvedBudgets {
  maxWrites?: number;
  maxMoneyMinor?: number;
  /** Limit on calls to this tool, from the first matching pattern of each scope. */
  maxCallsFor(qualifiedName: string): number | undefined;
}

/**
 * Narrows a policy to one principal and role. An unknown role is a usage error (fail closed:
 * a typo must not silently fall back to the policy-wide defaults); an unknown principal simply
 * has no principal-specific rules.
 */
export function resolvePolicy(
  policy: Policy,
  subject: Subject,
  options: { readOnly?: boolean; approveEveryWrite?: boolean } = {},
): ResolvedPolicy {
  const role = subject.role === undefined ? undefined : policy.roles[subject.role];
  if (subject.role !== undefined && !role) {
    const known = Object.keys(policy.roles);
    throw new GovernanceUsageError(
      `Role "${subject.role}" is not defined in the policy. Defined roles: ${known.length ? known.join(", ") : "(none)"}; add it under "roles" or pick one of those.`,
    );
  }
  const principal = subject.principal === undefined ? undefined : policy.principals[subject.principal];
  const scoped: Array<{ source: PolicyDecision["source"]; rules: PolicyRule[] }> = [
    { source: "principal", rules: principal?.rules ?? [] },
    { source: "role", rules: role?.rules ?? [] },
    { source: "policy", rules: policy.rules },
  ];
  const readOnly = Boolean(options.readOnly || policy.readOnly || role?.readOnly || principal?.readOnly);
  const approveEveryWrite = options.approveEveryWrite === true;
  const budgets = mergeBudgets([policy.budgets, role?.budgets, principal?.budgets]);

  return {
    policy,
    subject,
    readOnly,
    approveEveryWrite,
    budgets,
    decide(name, kind) {
      const decision = lookUp(name, kind);
      if (kind === "write" && approveEveryWrite && decision.effect === "allow") {
        return {
          effect: "require_approval",
          source: decision.source,
          reason: "every write needs approval in this run",
        };
      }
      return decision;
    },
  };

  function lookUp(name: string, kind: ToolKind): PolicyDecision {
    if (kind === "write" && readOnly) {
      return {
        effect: "deny",
        source: "readOnly",
        reason: `this run is read-only${subject.role ? ` (role "${subject.role}")` : ""}; writes are not allowed`,
      };
    }
    for (const scope of scoped) {
      const rule = scope.rules.find(
        (r) => (r.kind === undefined || r.kind === kind) && matchesAny(r.tools, name),
      );
      if (rule) return { effect: rule.effect, source: scope.source, reason: rule.reason };
    }
    return {
      effect: policy.defaults[kind],
      source: "default",
      ...(kind === "write" && policy.defaults.write === "require_approval"
        ? { reason: "writes need approval unless the policy allows them" }
        : {}),
    };
  }
}

function mergeBudgets(scopes: Array<Budgets | undefined>): ResolvedBudgets {
  const present = scopes.filter((b): b is Budgets => b !== undefined);
  const min = (values: Array<number | undefined>) => {
    const set = values.filter((v): v is number => v !== undefined);
    return set.length ? Math.min(...set) : undefined;
  };
  const perTool = present
    .map((b) => Object.entries(b.maxCallsPerTool ?? {}).map(([p, n]) => ({ match: compilePattern(p), n })))
    .filter((entries) => entries.length > 0);
  return {
    maxWrites: min(present.map((b) => b.maxWrites)),
    maxMoneyMinor: min(present.map((b) => b.maxMoneyMinor)),
    maxCallsFor: (name) => min(perTool.map((entries) => entries.find((e) => e.match(name))?.n)),
  };
}

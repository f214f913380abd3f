import { describe, expect, it } from "vitest";
import { GovernanceUsageError, PolicyInvalidError } from "../errors.js";
import { resolvePolicy } from "./evaluate.js";
import { parsePolicy, parsePolicyJson } from "./load.js";
import { compilePattern } from "./pattern.js";

const policy = parsePolicy({
  defaults: { read: "allow", write: "deny" },
  rules: [{ tools: "*.create_*", effect: "require_approval" }],
  roles: {
    analyst: { readOnly: true },
    clerk: {
      rules: [
        { tools: "billing.*", kind: "write", effect: "deny", reason: "clerks do not bill" },
        { tools: ["erp.create_sales_order", "erp.update_*"], effect: "allow" },
      ],
    },
  },
  principals: { "ann@acme.test": { rules: [{ tools: "billing.create_invoice", effect: "allow" }] } },
});

describe("tool patterns", () => {
  it("match globs over server.tool and treat everything else literally", () => {
    expect(compilePattern("billing.*")("billing.create_invoice")).toBe(true);
    expect(compilePattern("billing.*")("billingx.create")).toBe(false);
    expect(compilePattern("*.create_*")("erp.create_sales_order")).toBe(true);
    expect(compilePattern("*.create_*")("erp.list_orders")).toBe(false);
    expect(compilePattern("a.b+c")("a.b+c")).toBe(true);
    expect(compilePattern("a.(x|y)*")("a.x")).toBe(false);
    expect(compilePattern("erp.create_sales_order")("erp.create_sales_orders")).toBe(false);
  });
});

describe("policy decisions (first match: principal, then role, then policy-wide, then defaults)", () => {
  it("a read-only role denies every write, whatever the rules say", () => {
    const p = resolvePolicy(policy, { role: "analyst" });
    expect(p.decide("erp.create_sales_order", "write")).toMatchObject({ effect: "deny", source: "readOnly" });
    expect(p.decide("crm.pipeline", "read").effect).toBe("allow");
  });

  it("the first matching rule wins, role rules before policy-wide rules", () => {
    const p = resolvePolicy(policy, { role: "clerk" });
    expect(p.decide("billing.create_invoice", "write")).toMatchObject({
      effect: "deny",
      reason: "clerks do not bill",
    });
    expect(p.decide("erp.create_sales_order", "write")).toMatchObject({ effect: "allow", source: "role" });
    expect(p.decide("wms.create_reservation", "write")).toMatchObject({
      effect: "require_approval",
      source: "policy",
    });
    expect(p.decide("wms.move_stock", "write")).toMatchObject({ effect: "deny", source: "default" });
    expect(p.decide("billing.overdue", "read").effect).toBe("allow");
  });

  it("principal rules come before the role's", () => {
    const p = resolvePolicy(policy, { role: "clerk", principal: "ann@acme.test" });
    expect(p.decide("billing.create_invoice", "write")).toMatchObject({
      effect: "allow",
      source: "principal",
    });
    expect(p.decide("billing.void_invoice", "write").effect).toBe("deny");
  });

  it("an unknown role fails closed instead of falling back to the defaults", () => {
    expect(() => resolvePolicy(policy, { role: "admn" })).toThrow(GovernanceUsageError);
    expect(() => resolvePolicy(policy, { role: "admn" })).toThrow(/Defined roles: analyst, clerk/);
  });

  it("budgets merge across scopes with the smallest limit winning", () => {
    const p = resolvePolicy(
      parsePolicy({
        budgets: { maxWrites: 10, maxCallsPerTool: { "*": 50 } },
        roles: { r: { budgets: { maxWrites: 3, maxCallsPerTool: { "crm.*": 5 } } } },
      }),
      { role: "r" },
    );
    expect(p.budgets.maxWrites).toBe(3);
    expect(p.budgets.maxCallsFor("crm.deals")).toBe(5);
    expect(p.budgets.maxCallsFor("erp.orders")).toBe(50);
    expect(p.budgets.maxMoneyMinor).toBeUndefined();
  });
});

describe("policy files", () => {
  it("reject unknown fields and bad effects with every problem and its path", () => {
    const bad = JSON.stringify({ rules: [{ tools: "x.*", effect: "maybe" }], role: {} });
    expect(() => parsePolicyJson(bad, "policy file p.json")).toThrow(PolicyInvalidError);
    try {
      parsePolicyJson(bad, "policy file p.json");
    } catch (e) {
      expect((e as Error).message).toMatch(/rules\.0\.effect/);
      expect((e as Error).message).toMatch(/role/);
      expect((e as PolicyInvalidError).code).toBe("POLICY_INVALID");
    }
    expect(() => parsePolicyJson("{not json")).toThrow(/not valid JSON/);
  });

  it("an empty policy allows reads and makes every write wait for approval (safe default)", () => {
    const p = resolvePolicy(parsePolicy({}), {});
    expect(p.decide("a.b", "read").effect).toBe("allow");
    expect(p.decide("a.b", "write")).toMatchObject({ effect: "require_approval", source: "default" });
    expect(p.readOnly).toBe(false);
    // A policy that sets only the read default keeps writes behind approval.
    const readsOnly = resolvePolicy(parsePolicy({ defaults: { read: "allow" } }), {});
    expect(readsOnly.decide("a.b", "write").effect).toBe("require_approval");
    // Writes are allowed without approval only when the policy says so.
    expect(
      resolvePolicy(parsePolicy({ defaults: { write: "allow" } }), {}).decide("a.b", "write").effect,
    ).toBe("allow");
  });

  it("approveEveryWrite puts every allowed write behind approval and leaves denials and reads alone", () => {
    const policy = parsePolicy({
      defaults: { write: "allow" },
      rules: [{ tools: "a.wipe", effect: "deny" }],
    });
    const p = resolvePolicy(policy, {}, { approveEveryWrite: true });
    expect(p.decide("a.create", "write").effect).toBe("require_approval");
    expect(p.decide("a.wipe", "write").effect).toBe("deny");
    expect(p.decide("a.list", "read").effect).toBe("allow");
  });
});

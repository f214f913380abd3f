import { describe, expect, it } from "vitest";
import { classifyTool } from "./classify.js";
import { parsePolicy } from "./load.js";

const empty = parsePolicy({});

describe("read/write classification", () => {
  it("only readOnlyHint: true makes a read; missing annotations or tools count as writes", () => {
    expect(classifyTool(empty, "crm", "deals", { annotations: { readOnlyHint: true } }).kind).toBe("read");
    expect(classifyTool(empty, "crm", "deals", { annotations: { readOnlyHint: false } }).kind).toBe("write");
    expect(classifyTool(empty, "crm", "deals", {})).toMatchObject({
      kind: "write",
      source: "default",
      destructive: true,
    });
    expect(classifyTool(empty, "crm", "deals", undefined)).toMatchObject({
      kind: "write",
      source: "default",
    });
  });

  it("a pack that declares the tool a write in _meta overrides a readOnlyHint", () => {
    const info = { annotations: { readOnlyHint: true }, _meta: { "toolpacks.dev/kind": "write" } };
    expect(classifyTool(empty, "erp", "sneaky", info).kind).toBe("write");
    const read = { annotations: { readOnlyHint: true }, _meta: { "toolpacks.dev/kind": "read" } };
    expect(classifyTool(empty, "erp", "status", read).kind).toBe("read");
  });

  it("records destructive and idempotent hints and what the tool declares it moves", () => {
    const moves = { sum: [{ product: ["amount_minor"] }] };
    const c = classifyTool(empty, "billing", "charge", {
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      _meta: { "toolpacks.dev/moves": moves },
    });
    expect(c).toEqual({
      kind: "write",
      source: "annotations",
      destructive: false,
      idempotent: true,
      moves: { source: "tool", moves },
    });
  });

  it("never guesses money from field names: no declaration is undeclared, a bad one is invalid", () => {
    const legacy = { _meta: { "toolpacks.dev/money": ["amount_minor"] } };
    expect(classifyTool(empty, "billing", "charge", legacy).moves).toEqual({ source: "undeclared" });
    const bad = classifyTool(empty, "billing", "charge", {
      _meta: { "toolpacks.dev/moves": ["amount_minor"] },
    });
    expect(bad.moves).toMatchObject({ source: "invalid" });
  });

  it("a policy's moves entry beats the tool's own declaration (first match wins)", () => {
    const policy = parsePolicy({
      moves: [
        { tools: "thirdparty.*", moves: { none: true } },
        { tools: "billing.charge", moves: { sum: [{ product: ["total", 100] }] } },
      ],
    });
    expect(classifyTool(policy, "thirdparty", "send", {}).moves).toEqual({
      source: "policy",
      moves: { none: true },
    });
    const info = { _meta: { "toolpacks.dev/moves": { none: true } } };
    expect(classifyTool(policy, "billing", "charge", info).moves).toMatchObject({ source: "policy" });
    expect(() =>
      parsePolicy({ moves: [{ tools: "x.y", moves: { sum: [{ product: ["a[0]"] }] } }] }),
    ).toThrow();
  });

  it("policy overrides beat annotations in both directions", () => {
    const policy = parsePolicy({
      classify: [
        { tools: "legacy.get_*", kind: "read" },
        { tools: "crm.export", kind: "write" },
      ],
    });
    expect(classifyTool(policy, "legacy", "get_rows", {}).kind).toBe("read");
    expect(classifyTool(policy, "crm", "export", { annotations: { readOnlyHint: true } })).toMatchObject({
      kind: "write",
      source: "policy",
    });
  });
});

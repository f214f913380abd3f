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

  it("records destructive, idempotent and money hints", () => {
    const c = classifyTool(empty, "billing", "charge", {
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      _meta: { "toolpacks.dev/money": ["amount_minor", 7] },
    });
    expect(c).toEqual({
      kind: "write",
      source: "annotations",
      destructive: false,
      idempotent: true,
      moneyFields: ["amount_minor"],
    });
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

import { META, type ToolInfoLike } from "../types.js";
import { matchesAny, qualify } from "./pattern.js";
import type { Policy, ToolKind } from "./schema.js";

/** How governance sees one tool: its kind plus the hints it recorded. */
export interface ToolClass {
  kind: ToolKind;
  /** Where the kind came from: a policy override, the annotations, or the unknown-is-write default. */
  source: "policy" | "annotations" | "default";
  destructive: boolean;
  idempotent: boolean;
  /** Input fields holding money in integer minor units (tool `_meta["toolpacks.dev/money"]`). */
  moneyFields: string[];
}

/**
 * Classifies a tool as read or write. A policy `classify` entry wins; otherwise
 * `readOnlyHint: true` means read and anything else (including a missing tool description)
 * means write, because annotations are untrusted hints and a missed write is the costly error;
 * a `_meta["toolpacks.dev/kind"]: "write"` (pack-kit) also makes a write.
 * `destructiveHint` defaults to true when absent, as in the MCP spec.
 */
export function classifyTool(
  policy: Pick<Policy, "classify">,
  server: string,
  tool: string,
  info: ToolInfoLike | undefined,
): ToolClass {
  const name = qualify(server, tool);
  const annotations = info?.annotations ?? {};
  const rawMoney = info?._meta?.[META.money];
  const moneyFields = Array.isArray(rawMoney)
    ? rawMoney.filter((f): f is string => typeof f === "string")
    : [];
  const hints = {
    destructive: annotations.destructiveHint !== false,
    idempotent: annotations.idempotentHint === true,
    moneyFields,
  };
  const override = policy.classify.find((c) => matchesAny(c.tools, name));
  if (override) return { kind: override.kind, source: "policy", ...hints };
  if (!info) return { kind: "write", source: "default", ...hints };
  // pack-kit also states the kind in `_meta`; when the two disagree, the write wins.
  const declaredWrite = info._meta?.[META.kind] === "write";
  if (annotations.readOnlyHint === true && !declaredWrite) {
    return { kind: "read", source: "annotations", ...hints, destructive: false };
  }
  return { kind: "write", source: info.annotations ? "annotations" : "default", ...hints };
}

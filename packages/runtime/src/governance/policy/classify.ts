import { type Moves, parseMoves } from "@toolpacks/moves";
import { META, type ToolInfoLike } from "../types.js";
import { matchesAny, qualify } from "./pattern.js";
import type { Policy, ToolKind } from "./schema.js";

/**
 * What governance knows a tool moves: a declaration from the policy's `moves` list (which wins)
 * or from the tool's `_meta["toolpacks.dev/moves"]`, nothing at all, or a `_meta` declaration
 * that does not parse (kept with its problem so a money budget can say why it refuses).
 */
export type DeclaredMoves =
  | { source: "policy" | "tool"; moves: Moves }
  | { source: "undeclared" }
  | { source: "invalid"; problem: string };

/** How governance sees one tool: its kind plus the hints it recorded. */
export interface ToolClass {
  kind: ToolKind;
  /** Where the kind came from: a policy override, the annotations, or the unknown-is-write default. */
  source: "policy" | "annotations" | "default";
  destructive: boolean;
  idempotent: boolean;
  /** What one call moves, for the money budget. */
  moves: DeclaredMoves;
}

/**
 * Classifies a tool as read or write. A policy `classify` entry wins; otherwise
 * `readOnlyHint: true` means read and anything else (including a missing tool description)
 * means write, because annotations are untrusted hints and a missed write is the costly error;
 * a `_meta["toolpacks.dev/kind"]: "write"` (pack-kit) also makes a write.
 * `destructiveHint` defaults to true when absent, as in the MCP spec.
 */
export function classifyTool(
  policy: Pick<Policy, "classify" | "moves">,
  server: string,
  tool: string,
  info: ToolInfoLike | undefined,
): ToolClass {
  const name = qualify(server, tool);
  const annotations = info?.annotations ?? {};
  const hints = {
    destructive: annotations.destructiveHint !== false,
    idempotent: annotations.idempotentHint === true,
    moves: declaredMoves(policy, name, info),
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

/**
 * The policy's `moves` entry for a tool (first match) beats the tool's own `_meta`: the policy is
 * the user's word, the `_meta` is whatever the server says.
 */
function declaredMoves(
  policy: Pick<Policy, "moves">,
  name: string,
  info: ToolInfoLike | undefined,
): DeclaredMoves {
  const override = policy.moves.find((m) => matchesAny(m.tools, name));
  if (override) return { source: "policy", moves: override.moves };
  const meta = info?._meta;
  if (meta === undefined || !Object.hasOwn(meta, META.moves)) return { source: "undeclared" };
  const parsed = parseMoves(meta[META.moves]);
  return parsed.ok ? { source: "tool", moves: parsed.moves } : { source: "invalid", problem: parsed.problem };
}

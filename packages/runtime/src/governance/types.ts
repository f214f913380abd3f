/**
 * Governance is built from the runtime's tool-call pipeline hooks only (docs/contracts.md,
 * section 2); this file holds what governance adds on top: the `_meta` keys and the preflight
 * report.
 */

import { MOVED_META, MOVES_META } from "@toolpacks/moves";

/** `toolpacks.dev/*` keys in request and tool `_meta` (contracts sections 3 and 4). */
export const META = {
  idempotencyKey: "toolpacks.dev/idempotencyKey",
  dryRun: "toolpacks.dev/dryRun",
  principal: "toolpacks.dev/principal",
  scope: "toolpacks.dev/scope",
  /** Tool `_meta`: what one call of a write moves (see `@toolpacks/moves`). */
  moves: MOVES_META,
  /** Result `_meta`: what the server says the write moved; can only raise the run's count. */
  moved: MOVED_META,
  /** Tool `_meta` pack-kit adds: "read" or "write". */
  kind: "toolpacks.dev/kind",
} as const;

/** What governance reads from a tool's `tools/list` entry (a subset of the runtime's `ToolInfo`). */
export interface ToolInfoLike {
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean };
  _meta?: Record<string, unknown>;
}

/** What preflight found in a program, for the approver and for the refusal. */
export interface PreflightReport {
  ok: boolean;
  /** Why the run was refused (stable code plus a message a model can act on). */
  error?: { code: "PREFLIGHT_REFUSED"; message: string };
  /** The approver's summary, e.g. "this program may write: billing.create_invoice". */
  summary: string;
  /** Qualified `server.tool` names the program may call, by kind. */
  reads: string[];
  writes: string[];
  /** True when dynamic access made the analysis assume every tool of a namespace (or all). */
  dynamic: boolean;
}

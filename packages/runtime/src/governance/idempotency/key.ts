import { type CanonicalArgs, canonicalText, ensureCanonicalArgs } from "../../codec/canonical-call.js";
import { sha256Hex } from "./digest.js";

/** The parts an idempotency key is derived from. */
export interface IdempotencyKeyInput {
  runId: string;
  /** The call's 0-based position in the run. */
  position: number;
  server: string;
  tool: string;
  /** The canonical arguments: the value the MCP request carries. */
  args: CanonicalArgs;
}

/**
 * Derives the idempotency key of a write: `tp1_` plus the SHA-256 of the canonical text of
 * `[runId, position, server, tool, args]`. Re-running a program with the same run id issues the
 * same keys, so a pack that stores the key with its write returns the first result instead of
 * writing twice. Any difference in what is sent (an argument, the position, the tool) gives a
 * different key, so a changed program never replays a stale answer.
 */
export async function idempotencyKey(input: IdempotencyKeyInput): Promise<string> {
  const head = [input.runId, input.position, input.server, input.tool]
    .map((v) => JSON.stringify(v))
    .join(",");
  return `tp1_${await sha256Hex(`[${head},${canonicalText(ensureCanonicalArgs(input.args))}]`)}`;
}

import { canonicalJson } from "./canonical.js";
import { sha256Hex } from "./digest.js";

/** The parts an idempotency key is derived from. */
export interface IdempotencyKeyInput {
  runId: string;
  /** The call's 0-based position in the run. */
  position: number;
  server: string;
  tool: string;
  args: unknown;
}

/**
 * Derives the idempotency key of a write: `tp1_` plus the SHA-256 of the run id, the call's
 * position, the tool and the canonical arguments. Re-running a program with the same run id
 * issues the same keys, so a pack that stores the key with its write returns the first result
 * instead of writing twice. A different argument at the same position gives a different key,
 * so a changed program never replays a stale answer.
 */
export async function idempotencyKey(input: IdempotencyKeyInput): Promise<string> {
  const material = canonicalJson([input.runId, input.position, input.server, input.tool, input.args]);
  return `tp1_${await sha256Hex(material)}`;
}

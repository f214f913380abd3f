import type { ToolResult } from "../../pipeline/types.js";
import { DurableRunError } from "./errors.js";
import type { Keyring } from "./keyring.js";

/** One call the run made, as the program saw it: replayed from here on every resume. */
export interface LedgerEntry {
  position: number;
  server: string;
  tool: string;
  /** SHA-256 of the canonical arguments as sent; a replayed call must have the same. */
  argsDigest: string;
  /** The tool's answer, with configured secrets redacted (the program saw the same). */
  result?: ToolResult;
  /** What the call threw instead of answering (a transport failure, a server error). */
  error?: { code: string; message: string };
}

/** A call waiting for a human's decision. */
export interface PendingCall {
  position: number;
  server: string;
  tool: string;
  /** `server.tool`. */
  name: string;
  kind: "read" | "write";
  /** The canonical arguments, structured, with configured secrets and PII fields replaced (for the approver). */
  args: unknown;
  /** SHA-256 of the canonical arguments as they will be sent. */
  argsDigest: string;
  idempotencyKey?: string;
  /** The policy rule's reason, when it gave one. */
  reason?: string;
  /** What the call moves by its tool's money declaration, when it declares one. */
  moves?: { declared: boolean; rule?: string; minor?: number; currency?: string; problem?: string };
}

/** A human's answer to one pending call. */
export interface Decision {
  approved: boolean;
  reason?: string;
  /** Who decided, when the host knows. */
  by?: string;
  /** Epoch ms. */
  at: number;
  /** The call decided (`server.tool` and argument digest): the decision applies to exactly that call. */
  name: string;
  argsDigest: string;
}

/**
 * Everything needed to re-execute a run to where it stopped and go on: signed as one JSON text.
 * `status` is inside the signature, so a finished run cannot be marked resumable again.
 */
export interface Continuation {
  v: 1;
  runId: string;
  status: "suspended" | "finished";
  /** The program as the model sent it. */
  program: string;
  /** SHA-256 of the tools the run ran against (names, schemas, annotations, `_meta`). */
  manifestDigest: string;
  /** SHA-256 of the resolved policy, principal, role and approval flags. */
  policyDigest: string;
  /** Per-run options the run was started with (limits, meta, typecheck). */
  options: { limits?: Record<string, number>; meta?: Record<string, unknown>; typecheck?: boolean };
  /** The sandbox's non-determinism: its PRNG seed and the clock reading every `Date` gets. */
  determinism: { seed: number[]; clockMs: number };
  /** Every call answered so far, by position. */
  ledger: LedgerEntry[];
  /** Calls waiting for a decision (one batch: all that were waiting when the run stopped). */
  pending: PendingCall[];
  /** Decisions so far, by call position (decided calls stay decided on every later resume). */
  decisions: Record<string, Decision>;
  /** How many times the run suspended. */
  suspensions: number;
  /** Epoch ms: when the run first started, and when this continuation was signed. */
  createdAt: number;
  issuedAt: number;
}

/** What a store keeps per run: the signed text plus two unsigned columns for listing. */
export interface StoredContinuation {
  runId: string;
  status: Continuation["status"];
  /** `sealContinuation`'s output. */
  sealed: string;
  updatedAt: number;
}

/** Signs a continuation: `{"kid":..,"sig":..,"body":"<json>"}`. */
export async function sealContinuation(continuation: Continuation, keyring: Keyring): Promise<string> {
  const body = JSON.stringify(continuation);
  const { kid, sig } = await keyring.sign(body);
  return JSON.stringify({ kid, sig, body });
}

/**
 * Verifies and parses a sealed continuation. Throws `CONTINUATION_INVALID` when the signature
 * does not verify (any byte changed, or an unknown key id) and `CONTINUATION_EXPIRED` when it was
 * signed more than `maxAgeMs` ago.
 */
export async function openContinuation(
  sealed: string,
  keyring: Keyring,
  options: { runId: string; maxAgeMs: number; now: number },
): Promise<Continuation> {
  const invalid = (why: string) =>
    new DurableRunError(
      "CONTINUATION_INVALID",
      `the stored continuation of run ${options.runId} was refused: ${why}. It was changed after it was signed, or signed with a key this host does not have; nothing was resumed. Start the run again.`,
    );
  let envelope: { kid?: unknown; sig?: unknown; body?: unknown };
  try {
    envelope = JSON.parse(sealed);
  } catch {
    throw invalid("it is not JSON");
  }
  const { kid, sig, body } = envelope ?? {};
  if (typeof kid !== "string" || typeof sig !== "string" || typeof body !== "string")
    throw invalid("it has no key id, signature or body");
  if (!(await keyring.verify(kid, body, sig)))
    throw invalid(`its signature does not verify under key "${kid}"`);
  const continuation = JSON.parse(body) as Continuation;
  if (continuation.v !== 1 || continuation.runId !== options.runId)
    throw invalid(`it belongs to run ${String(continuation.runId)}, version ${String(continuation.v)}`);
  const age = options.now - continuation.issuedAt;
  if (!(age <= options.maxAgeMs)) {
    throw new DurableRunError(
      "CONTINUATION_EXPIRED",
      `the continuation of run ${options.runId} was signed ${Math.round(age / 1000)} s ago, over the maximum age of ${Math.round(options.maxAgeMs / 1000)} s; nothing was resumed. Start the run again.`,
    );
  }
  return continuation;
}

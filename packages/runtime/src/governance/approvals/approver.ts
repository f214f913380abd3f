/**
 * What an approver is asked about one call: the canonical call, in full. Arguments are the exact
 * value that will be sent (docs/security.md, "One canonical call"), with only configured secrets
 * and PII fields replaced.
 */
export interface ApprovalRequest {
  runId: string;
  position: number;
  principal?: string;
  role?: string;
  server: string;
  tool: string;
  /** `server.tool`. */
  name: string;
  kind: "read" | "write";
  /** The canonical arguments, whole and structured (configured secrets and PII fields replaced). */
  args: unknown;
  /** SHA-256 of the canonical arguments as sent (before redaction). */
  argsDigest: string;
  /** Argument paths the tool's money declaration reads (`lines.unit_price_minor`); listed first by `describeRequest`. */
  moneyFields?: readonly string[];
  /**
   * What the call moves by its tool's declaration (`toolpacks.dev/moves`), counted over the
   * canonical arguments as the money budget counts it: `minor` units, or why it cannot be
   * counted; `declared: false` for a tool that declares nothing.
   */
  moves?: { declared: boolean; rule?: string; minor?: number; currency?: string; problem?: string };
  idempotencyKey?: string;
  dryRun: boolean;
  /** The policy rule's reason, when it gave one. */
  reason?: string;
  /** Preflight's summary of the whole program ("this program may write: ..."), when it ran. */
  programSummary?: string;
  /** Aborted when the call is cancelled or the approval times out; approvers should stop asking. */
  signal: AbortSignal;
}

/** An approver's answer: `true`/`false`, or an object with a reason for the record. */
export type ApprovalAnswer = boolean | { approved: boolean; reason?: string };

/**
 * Decides one call. Called once per call that needs approval, possibly concurrently for parallel
 * calls; each answer applies to its own call only.
 */
export type Approver = (request: ApprovalRequest) => Promise<ApprovalAnswer> | ApprovalAnswer;

/** The settled outcome of asking. */
export interface ApprovalOutcome {
  approved: boolean;
  reason?: string;
  /** Not decided but postponed: the run stops here and resumes after a human decides. */
  deferred?: boolean;
}

/**
 * The abort reason of a run that suspends with calls awaiting approval (durable runs): those
 * calls are deferred, not rejected, and are audited so.
 */
export class ApprovalDeferral extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApprovalDeferral";
  }
}

/** Approves everything (for trusted automation and tests). */
export const approveAll: Approver = () => ({ approved: true, reason: "auto-approved" });

/** Rejects everything: writes that need approval never happen. */
export const rejectAll: Approver = () => ({ approved: false, reason: "approvals are set to deny" });

/**
 * Asks an approver with a deadline. A timeout, an abort, a thrown error or an answer that is
 * not exactly `true`/`{ approved: true }` all count as rejection (fail closed).
 */
export async function askApprover(
  approver: Approver,
  request: Omit<ApprovalRequest, "signal">,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<ApprovalOutcome> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<ApprovalOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error("approval timed out"));
      resolve({ approved: false, reason: `no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
  });
  const cancelled = (): ApprovalOutcome =>
    options.signal?.reason instanceof ApprovalDeferral
      ? { approved: false, deferred: true, reason: options.signal.reason.message }
      : { approved: false, reason: "the call was cancelled" };
  const aborted = new Promise<ApprovalOutcome>((resolve) => {
    if (options.signal?.aborted) resolve(cancelled());
    options.signal?.addEventListener("abort", () => resolve(cancelled()), { once: true });
  });
  const asked = (async (): Promise<ApprovalOutcome> => {
    try {
      const answer = await approver({ ...request, signal: controller.signal });
      if (answer === true) return { approved: true };
      if (answer === false) return { approved: false };
      if (answer && typeof answer === "object" && answer.approved === true)
        return { approved: true, reason: answer.reason };
      return { approved: false, reason: answer && typeof answer === "object" ? answer.reason : undefined };
    } catch (error) {
      return {
        approved: false,
        reason: `the approver failed: ${(error as Error)?.message ?? String(error)}`,
      };
    }
  })();
  try {
    return await Promise.race([asked, deadline, aborted]);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

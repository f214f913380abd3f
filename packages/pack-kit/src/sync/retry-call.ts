import { type RetryOptions, retryAfterMs } from "./http.js";

/** How a failed attempt of `retryingCall` looks to the retry policy. */
export interface CallFailure {
  /** The HTTP status the source answered; undefined for a network error or a timed-out attempt. */
  status?: number | undefined;
  /** How long the source asked to wait, in ms (from Retry-After or a vendor's own hint). */
  waitMs?: number | undefined;
}

/** Options of `retryingCall`. */
export interface RetryCallOptions extends Omit<RetryOptions, "fetch" | "replayable"> {
  /**
   * True when repeating the call cannot apply it twice (a read, a PUT/PATCH of fixed values, a
   * write the source dedupes). A call that is not replayable is attempted exactly once.
   */
  replayable: boolean;
  /**
   * Reads a thrown error: its status and asked wait when it is an answer of the source or a
   * network failure worth retrying, undefined when it is not retryable at all (a bug, a refusal
   * the caller maps).
   */
  failureOf: (error: unknown) => CallFailure | undefined;
}

/** Thrown (as the last failure) when one attempt outlived `attemptTimeoutMs`. */
export class AttemptTimeoutError extends Error {
  override readonly name = "AttemptTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

const sleepFor = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * `retryingFetch`'s policy for a vendor client that does its own HTTP (so no fetch can be
 * passed in): runs `attempt`, and when it throws a failure `failureOf` recognises as a 429, a
 * 5xx, a network error or a timed-out attempt, waits what the source asked (else exponential
 * backoff with full jitter, capped at `maxDelayMs`) and tries again, at most `maxRetries` times.
 * Only `replayable` calls are repeated; a wait longer than `maxDelayMs` is not slept on. The last
 * error is rethrown as is, so the caller still maps the source's own error. An attempt that
 * outlives `attemptTimeoutMs` is abandoned (its request may still reach the source: only a
 * replayable call is tried again) and fails with `AttemptTimeoutError`.
 */
export async function retryingCall<T>(
  attempt: () => Promise<T>,
  options: RetryCallOptions,
  signal?: AbortSignal,
): Promise<T> {
  const maxRetries = options.maxRetries ?? 4;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? sleepFor;
  const random = options.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await withTimeout(attempt(), options.attemptTimeoutMs);
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = error instanceof AttemptTimeoutError ? {} : options.failureOf(error);
      const retryable =
        failure !== undefined &&
        (failure.status === undefined || failure.status === 429 || failure.status >= 500);
      if (!retryable || !options.replayable || n > maxRetries) throw error;
      const asked = failure.status === 429 ? failure.waitMs : undefined;
      if (asked !== undefined && asked > cap) throw error;
      const waitMs = asked ?? Math.floor(random() * Math.min(cap, base * 2 ** (n - 1)));
      options.onRetry?.({
        attempt: n,
        ...(failure.status === undefined ? { error } : { status: failure.status }),
        waitMs,
      });
      await sleep(waitMs, signal);
    }
  }
}

/** `Retry-After` of a header bag (any case), as ms; undefined when absent or unreadable. */
export function retryAfterHeaderMs(headers: Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const name = Object.keys(headers).find((k) => k.toLowerCase() === "retry-after");
  return name === undefined ? undefined : retryAfterMs(headers[name] ?? null);
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (timeoutMs === undefined) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AttemptTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    // The abandoned attempt may still settle; its outcome is no one's to handle.
    work.catch(() => undefined);
  }
}

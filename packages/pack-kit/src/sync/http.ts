/** How `retryingFetch` retries. */
export interface RetryOptions {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). Default 4. */
  maxRetries?: number;
  /** First backoff in ms; doubles per retry, capped at `maxDelayMs`. Default 500. */
  baseDelayMs?: number;
  /** Longest single wait in ms, Retry-After included (a longer Retry-After fails fast). Default 30 000. */
  maxDelayMs?: number;
  /** Abort one attempt after this many ms and retry it (when safe to). Default: no limit. */
  attemptTimeoutMs?: number;
  /** The underlying fetch. Default the global one. */
  fetch?: typeof fetch;
  /** Waits `ms`; tests pass one that records waits instead of sleeping. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
  /**
   * Whether a request may be sent again after a 429, 5xx or network error. Default: GET, HEAD,
   * OPTIONS, or a request carrying an `Idempotency-Key` header. An API that reads over POST
   * (Odoo's JSON-2) passes its own rule; a write is safe only when the source dedupes it.
   */
  replayable?: (request: Request) => boolean;
  /** Told about each retry (status or error, and the wait), for progress output. */
  onRetry?: (info: { attempt: number; status?: number; error?: unknown; waitMs: number }) => void;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
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
}

/**
 * Seconds (`Retry-After: 7`) or an HTTP date, as ms from `now`; undefined when absent or
 * unreadable. A date in the past is 0.
 */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A `fetch` that survives a busy or flaky API: a 429 waits what `Retry-After` asks (else backs
 * off), a 5xx or network error backs off exponentially with full jitter, all bounded by
 * `maxRetries`; the last response (or error) is returned (thrown) as is, so the client still
 * reports the source's own error. Only requests that are safe to repeat are retried: GET/HEAD,
 * or any request carrying an `Idempotency-Key` header (the source applies it once whatever the
 * number of attempts), unless `replayable` says otherwise. Other requests are sent exactly once. The caller's abort signal stops
 * waiting and retrying at once.
 */
export function retryingFetch(options: RetryOptions = {}): typeof fetch {
  const maxRetries = options.maxRetries ?? 4;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const inner = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const backoff = (attempt: number) => Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
  const retried: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    const replayable = options.replayable
      ? options.replayable(request)
      : SAFE_METHODS.has(request.method) || headers.has("idempotency-key");
    // The body is read once so every attempt can send the same bytes.
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const callerSignal = init?.signal ?? undefined;
    for (let attempt = 1; ; attempt++) {
      const attemptSignal = attemptSignalOf(callerSignal, options.attemptTimeoutMs);
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await inner(request.url, {
          method: request.method,
          headers,
          ...(body === undefined ? {} : { body }),
          ...(attemptSignal ? { signal: attemptSignal } : {}),
        });
      } catch (error) {
        if (callerSignal?.aborted) throw error;
        failure = error;
      }
      const retryable = response === undefined ? true : response.status === 429 || response.status >= 500;
      if (!retryable || !replayable || attempt > maxRetries) {
        if (response) return response;
        throw failure;
      }
      const asked = response?.status === 429 ? retryAfterMs(response.headers.get("retry-after")) : undefined;
      // A source asking for a longer pause than we wait at most is answered now, not slept on.
      if (asked !== undefined && asked > cap && response) return response;
      const waitMs = asked ?? backoff(attempt);
      await response?.body?.cancel();
      options.onRetry?.({
        attempt,
        ...(response ? { status: response.status } : { error: failure }),
        waitMs,
      });
      await sleep(waitMs, callerSignal);
    }
  };
  return retried;
}

function attemptSignalOf(
  caller: AbortSignal | undefined,
  timeoutMs: number | undefined,
): AbortSignal | undefined {
  if (timeoutMs === undefined) return caller;
  const timeout = AbortSignal.timeout(timeoutMs);
  return caller ? AbortSignal.any([caller, timeout]) : timeout;
}

import { describe, expect, it } from "vitest";
import { AttemptTimeoutError, type CallFailure, retryAfterHeaderMs, retryingCall } from "./retry-call.js";

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly waitMs?: number,
  ) {
    super(`HTTP ${status}`);
  }
}
const failureOf = (error: unknown): CallFailure | undefined =>
  error instanceof HttpError
    ? { status: error.status, waitMs: error.waitMs }
    : error instanceof TypeError
      ? {}
      : undefined;

/** A call answering from a script (an error to throw or a value), counting attempts. */
function scripted<T>(answers: Array<T | Error>) {
  let attempts = 0;
  const call = async () => {
    attempts++;
    const next = answers.shift();
    if (next instanceof Error) throw next;
    if (next === undefined) throw new Error("script exhausted");
    return next;
  };
  return { call, attempts: () => attempts };
}

describe("retryingCall", () => {
  it("waits what a 429 asks, backs off on 5xx and network errors, then returns the success", async () => {
    const { call, attempts } = scripted<string>([
      new HttpError(429, 2000),
      new HttpError(503),
      new TypeError("fetch failed"),
      "ok",
    ]);
    const waits: number[] = [];
    const result = await retryingCall(call, {
      replayable: true,
      failureOf,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(result).toBe("ok");
    expect(attempts()).toBe(4);
    expect(waits).toEqual([2000, 100, 200]);
  });

  it("attempts a call that is not replayable once, whatever it failed with", async () => {
    const { call, attempts } = scripted<string>([new HttpError(500), "ok"]);
    await expect(retryingCall(call, { replayable: false, failureOf, sleep: async () => {} })).rejects.toThrow(
      "HTTP 500",
    );
    expect(attempts()).toBe(1);
  });

  it("rethrows a refusal (4xx) and an unknown error at once, and the last failure past maxRetries", async () => {
    const refused = scripted<string>([new HttpError(400), "ok"]);
    await expect(
      retryingCall(refused.call, { replayable: true, failureOf, sleep: async () => {} }),
    ).rejects.toThrow("HTTP 400");
    expect(refused.attempts()).toBe(1);
    const bug = scripted<string>([new RangeError("bug"), "ok"]);
    await expect(
      retryingCall(bug.call, { replayable: true, failureOf, sleep: async () => {} }),
    ).rejects.toThrow("bug");
    const down = scripted<string>(Array.from({ length: 5 }, () => new HttpError(502)));
    await expect(
      retryingCall(down.call, { replayable: true, failureOf, maxRetries: 2, sleep: async () => {} }),
    ).rejects.toThrow("HTTP 502");
    expect(down.attempts()).toBe(3);
  });

  it("does not sleep on a 429 asking longer than maxDelayMs", async () => {
    const { call, attempts } = scripted<string>([new HttpError(429, 3_600_000), "ok"]);
    const waits: number[] = [];
    await expect(
      retryingCall(call, {
        replayable: true,
        failureOf,
        maxDelayMs: 10_000,
        sleep: async (ms) => void waits.push(ms),
      }),
    ).rejects.toThrow("HTTP 429");
    expect(waits).toEqual([]);
    expect(attempts()).toBe(1);
  });

  it("abandons an attempt past attemptTimeoutMs: retried when replayable, else AttemptTimeoutError", async () => {
    let attempts = 0;
    const slowThenFast = async () => (++attempts === 1 ? new Promise<string>(() => {}) : "ok");
    expect(
      await retryingCall(slowThenFast, {
        replayable: true,
        failureOf,
        attemptTimeoutMs: 20,
        sleep: async () => {},
      }),
    ).toBe("ok");
    expect(attempts).toBe(2);
    await expect(
      retryingCall(() => new Promise<string>(() => {}), {
        replayable: false,
        failureOf,
        attemptTimeoutMs: 20,
      }),
    ).rejects.toBeInstanceOf(AttemptTimeoutError);
  });
});

describe("retryAfterHeaderMs", () => {
  it("reads Retry-After in any case, and nothing else", () => {
    expect(retryAfterHeaderMs({ "Retry-After": "3" })).toBe(3000);
    expect(retryAfterHeaderMs({ "retry-after": "1.5" })).toBe(1500);
    expect(retryAfterHeaderMs({ "x-other": "3" })).toBeUndefined();
    expect(retryAfterHeaderMs(undefined)).toBeUndefined();
  });
});

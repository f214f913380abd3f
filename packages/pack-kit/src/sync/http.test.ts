import { describe, expect, it } from "vitest";
import { retryAfterMs, retryingFetch } from "./http.js";

/** A fetch that answers from a script, recording each request it got. */
function scripted(answers: Array<Response | Error>) {
  const calls: Array<{ method: string; body: string; key: string | null }> = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    calls.push({
      method: request.method,
      body: await request.text(),
      key: request.headers.get("idempotency-key"),
    });
    const next = answers.shift();
    if (!next) throw new Error("script exhausted");
    if (next instanceof Error) throw next;
    return next;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const waitsOf = () => {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
};

describe("retryingFetch", () => {
  it("waits what Retry-After asks on a 429, then returns the success", async () => {
    const { fetch, calls } = scripted([
      new Response("{}", { status: 429, headers: { "retry-after": "3" } }),
      new Response("ok", { status: 200 }),
    ]);
    const { waits, sleep } = waitsOf();
    const response = await retryingFetch({ fetch, sleep })("http://x/v1/customers");
    expect(response.status).toBe(200);
    expect(waits).toEqual([3000]);
    expect(calls).toHaveLength(2);
  });

  it("backs off with jitter on 5xx and gives up after maxRetries, returning the last answer", async () => {
    const { fetch, calls } = scripted(Array.from({ length: 5 }, () => new Response("down", { status: 503 })));
    const { waits, sleep } = waitsOf();
    const response = await retryingFetch({
      fetch,
      sleep,
      maxRetries: 3,
      baseDelayMs: 100,
      random: () => 0.5,
    })("http://x/v1/events");
    expect(response.status).toBe(503);
    expect(calls).toHaveLength(4);
    // Full jitter: half of 100, 200, 400 with random() = 0.5.
    expect(waits).toEqual([50, 100, 200]);
  });

  it("never retries a POST without an Idempotency-Key (it could apply twice)", async () => {
    const { fetch, calls } = scripted([new Response("boom", { status: 500 }), new Response("ok")]);
    const { sleep } = waitsOf();
    const response = await retryingFetch({ fetch, sleep })("http://x/v1/credit_notes", {
      method: "POST",
      body: "a=1",
    });
    expect(response.status).toBe(500);
    expect(calls).toHaveLength(1);
  });

  it("retries a keyed POST with the same body and key after a network error", async () => {
    const { fetch, calls } = scripted([new TypeError("fetch failed"), new Response("ok")]);
    const { sleep } = waitsOf();
    const response = await retryingFetch({ fetch, sleep })("http://x/v1/credit_notes", {
      method: "POST",
      body: "invoice=in_1&amount=500",
      headers: { "Idempotency-Key": "k-1" },
    });
    expect(response.status).toBe(200);
    expect(calls.map((c) => [c.body, c.key])).toEqual([
      ["invoice=in_1&amount=500", "k-1"],
      ["invoice=in_1&amount=500", "k-1"],
    ]);
  });

  it("answers at once when Retry-After asks for more than it ever waits", async () => {
    const { fetch, calls } = scripted([
      new Response("{}", { status: 429, headers: { "retry-after": "3600" } }),
    ]);
    const { waits, sleep } = waitsOf();
    const response = await retryingFetch({ fetch, sleep, maxDelayMs: 10_000 })("http://x/v1/customers");
    expect(response.status).toBe(429);
    expect(waits).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it("does not retry a 4xx other than 429", async () => {
    const { fetch, calls } = scripted([new Response("{}", { status: 401 })]);
    const response = await retryingFetch({ fetch, sleep: async () => {} })("http://x/v1/customers");
    expect(response.status).toBe(401);
    expect(calls).toHaveLength(1);
  });
});

describe("retryAfterMs", () => {
  it("reads seconds and HTTP dates, and ignores garbage", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs("Wed, 02 Dec 2026 13:00:10 GMT", Date.parse("2026-12-02T13:00:00Z"))).toBe(10_000);
    expect(retryAfterMs("Wed, 02 Dec 2026 12:00:00 GMT", Date.parse("2026-12-02T13:00:00Z"))).toBe(0);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

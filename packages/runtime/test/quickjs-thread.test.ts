import { afterAll, describe, expect, it } from "vitest";
import { createQuickJSExecutor } from "../src/executors/quickjs/executor.js";
import { createQuickJSThreadExecutor } from "../src/executors/quickjs-thread/executor.js";
import type { Executor, SandboxRequest, SandboxResponse } from "../src/executors/types.js";
import { runExecutorConformance, runHostileSuite } from "../src/testing.js";

const executor = createQuickJSThreadExecutor({ threads: 2 });
afterAll(() => executor.close());
runExecutorConformance(() => executor, { describe, it, expect });
runHostileSuite(() => executor, { describe, it, expect });

const limits = {
  timeoutMs: 400,
  memoryMb: 64,
  maxToolCalls: 10,
  maxConcurrentCalls: 4,
  maxLogBytes: 10_000,
  maxResultBytes: 10_000,
};
const busy: SandboxRequest = {
  code: "while (true) {}",
  bindings: {},
  limits,
  callTool: async () => "null",
};

/** Whether a 200 ms host timer fired before a CPU-bound run (stopped at 800 ms of CPU) ended. */
async function timerAgainstRun(ex: Executor): Promise<{ code: string | undefined; timerFirst: boolean }> {
  let timerAt = Number.POSITIVE_INFINITY;
  const timer = new Promise<void>((resolve) =>
    setTimeout(() => {
      timerAt = performance.now();
      resolve();
    }, 200),
  );
  const response = await ex.run({ ...busy, limits: { ...limits, timeoutMs: 800 } });
  const endedAt = performance.now();
  await timer;
  return { code: response.error?.code, timerFirst: timerAt < endedAt };
}

describe("QuickJS on worker threads", () => {
  it("keeps the host's event loop free while a program burns CPU until its time limit", async () => {
    expect(await timerAgainstRun(executor)).toEqual({ code: "TIMEOUT", timerFirst: true });
    // The embedded executor runs the same loop on the host thread: a warm one starts it at once,
    // and the host's timer waits until the loop is stopped.
    const embedded = createQuickJSExecutor();
    await embedded.run({ ...busy, code: "return 1" });
    expect(await timerAgainstRun(embedded)).toEqual({ code: "TIMEOUT", timerFirst: false });
  });

  it("runs programs side by side, one per thread, and queues the rest", async () => {
    const runs = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        executor.run({ ...busy, code: `let s = 0; for (let i = 0; i < 1e5; i++) s += i % ${n}; return s;` }),
      ),
    );
    expect(runs.map((r) => r.ok)).toEqual([true, true, true, true]);
  });

  it("bridges tool calls to the host and a host error back to the program", async () => {
    const seen: string[] = [];
    const response = await executor.run({
      ...busy,
      code: "const a = await crm.get({ id: 1 }); try { await crm.fail({}); } catch (e) { return [a, e.code]; }",
      bindings: { crm: ["get", "fail"] },
      callTool: async (ns, tool, args) => {
        seen.push(`${ns}.${tool} ${args}`);
        if (tool === "fail") throw Object.assign(new Error("nope"), { code: "TOOL_ERROR" });
        return JSON.stringify({ found: true });
      },
    });
    expect(response.ok).toBe(true);
    expect(JSON.parse(response.encodedResult ?? "null")).toEqual([{ found: true }, "TOOL_ERROR"]);
    expect(seen).toEqual(['crm.get {"id":1}', "crm.fail {}"]);
  });

  it("terminates a thread that outlives its wall-time cap, and the next run gets a fresh one", async () => {
    // A cap of 300 ms for the stuck run only (the QuickJS clock would allow it a minute).
    const capped = createQuickJSThreadExecutor({ threads: 1, maxWallMs: (t) => (t > 10_000 ? 300 : 30_000) });
    try {
      const stuck = await capped.run({ ...busy, limits: { ...limits, timeoutMs: 60_000 } });
      expect(stuck.error).toMatchObject({
        code: "TIMEOUT",
        message: expect.stringContaining("300 ms of wall time"),
      });
      const next = await capped.run({ ...busy, code: "return 7" });
      expect(next).toMatchObject({ ok: true, encodedResult: "7" });
    } finally {
      await capped.close();
    }
  });

  it("answers BUSY at once, with a retry hint, when every thread is busy and the queue is full", async () => {
    const small = createQuickJSThreadExecutor({ threads: 1, maxQueue: 1 });
    try {
      const order: string[] = [];
      const spin = { ...busy, limits: { ...limits, timeoutMs: 1500 } };
      const noting = (name: string) => (r: SandboxResponse) => {
        order.push(name);
        return r;
      };
      const first = small.run(spin).then(noting("first"));
      const second = small.run({ ...busy, code: "return 2" }).then(noting("second"));
      const third = await small.run({ ...busy, code: "return 3" });
      order.push("third");
      expect(third.error?.code).toBe("BUSY");
      expect(third.error?.message).toContain("retry");
      expect(third.error?.retryAfterMs).toBeGreaterThan(0);
      // Refused without waiting for the spinning run; the queued one still runs.
      expect(order).toEqual(["third"]);
      expect((await first).error?.code).toBe("TIMEOUT");
      expect(await second).toMatchObject({ ok: true, encodedResult: "2" });
      expect(small.queued).toBe(0);
    } finally {
      await small.close();
    }
  });

  it("drops a waiting run from the queue when its signal aborts", async () => {
    const small = createQuickJSThreadExecutor({ threads: 1, maxQueue: 1 });
    try {
      const first = small.run({ ...busy, limits: { ...limits, timeoutMs: 1000 } });
      const controller = new AbortController();
      const waiting = small.run({ ...busy, code: "return 2", signal: controller.signal });
      expect(small.queued).toBe(1);
      controller.abort();
      expect((await waiting).error?.code).toBe("ABORTED");
      expect(small.queued).toBe(0);
      // The freed place takes another run instead of answering BUSY.
      const next = small.run({ ...busy, code: "return 3" });
      expect((await first).error?.code).toBe("TIMEOUT");
      expect(await next).toMatchObject({ ok: true, encodedResult: "3" });
    } finally {
      await small.close();
    }
  });

  it("stops a thread stuck past its time limit where the sandbox cannot interrupt it", async () => {
    const small = createQuickJSThreadExecutor({ threads: 1, overrunGraceMs: 300 });
    try {
      // Typed-array sorts run in native code QuickJS never interrupts: seconds for these.
      const stuck = await small.run({
        ...busy,
        code:
          "const s = new Float64Array(1e5);\nfor (let i = 0; i < s.length; i++) s[i] = (i * 7919) % 100003;\nconst a = new Float64Array(2e6);\nfor (let k = 0; k < 20; k++) a.set(s, k * s.length);\n" +
          "a.sort(); a.reverse(); a.sort(); a.reverse(); a.sort(); a.reverse(); a.sort(); a.reverse(); a.sort();\nreturn a[0];",
        limits: { ...limits, timeoutMs: 200, memoryMb: 64 },
      });
      expect(stuck.error?.code).toBe("TIMEOUT");
      expect(stuck.error?.message).toContain("stopped its thread");
      expect(await small.run({ ...busy, code: "return 7" })).toMatchObject({ ok: true, encodedResult: "7" });
    } finally {
      await small.close();
    }
  });

  it("ends a run that never yields when its signal aborts, and the next run proceeds", async () => {
    const small = createQuickJSThreadExecutor({ threads: 1 });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const spinning = await small.run({
        ...busy,
        signal: controller.signal,
        limits: { ...limits, timeoutMs: 120_000 },
      });
      expect(spinning.error?.code).toBe("ABORTED");
      expect(await small.run({ ...busy, code: "return 5" })).toMatchObject({ ok: true, encodedResult: "5" });
    } finally {
      await small.close();
    }
  });

  it("refuses runs once closed", async () => {
    const closing = createQuickJSThreadExecutor({ threads: 1 });
    expect((await closing.run({ ...busy, code: "return 1" })).ok).toBe(true);
    await closing.close();
    expect((await closing.run({ ...busy, code: "return 1" })).error?.code).toBe("INTERNAL_ERROR");
  });
});

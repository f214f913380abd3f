import { afterAll, describe, expect, it } from "vitest";
import { createQuickJSExecutor } from "../src/executors/quickjs/executor.js";
import { createQuickJSThreadExecutor } from "../src/executors/quickjs-thread/executor.js";
import type { Executor, SandboxRequest } from "../src/executors/types.js";
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

  it("refuses runs once closed", async () => {
    const closing = createQuickJSThreadExecutor({ threads: 1 });
    expect((await closing.run({ ...busy, code: "return 1" })).ok).toBe(true);
    await closing.close();
    expect((await closing.run({ ...busy, code: "return 1" })).error?.code).toBe("INTERNAL_ERROR");
  });
});

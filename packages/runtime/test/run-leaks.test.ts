/**
 * Nothing outlives its run: thousands of runs that each arm many long timers and leave tool calls
 * running and queued must leave the host's handles where they were and its heap about where it
 * was, on the embedded executor (host thread) and on worker threads (each thread's own loop).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { runProgram } from "../src/executors/conformance/harness.js";
import { createQuickJSExecutor } from "../src/executors/quickjs/executor.js";
import { createQuickJSThreadExecutor } from "../src/executors/quickjs-thread/executor.js";
import type { Executor } from "../src/executors/types.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const RUNS = 2000;
const TIMERS_PER_RUN = 50;
/** Arms long timers (an hour and more), starts six calls that never answer (two run, four queue), returns. */
const LEAKY = `for (let i = 0; i < ${TIMERS_PER_RUN}; i++) setTimeout(() => {}, 3_600_000 + i);
setInterval(() => {}, 60_000);
for (let i = 0; i < 6; i++) t.never({ i, pad: "x".repeat(2000) });
return 1;`;

async function leakyRuns(ex: Executor, runs: number): Promise<void> {
  const batch = 8;
  for (let done = 0; done < runs; done += batch) {
    const results = await Promise.all(
      Array.from({ length: Math.min(batch, runs - done) }, () =>
        runProgram(ex, LEAKY, { maxConcurrentCalls: 2, timeoutMs: 10_000 }),
      ),
    );
    for (const r of results) expect(r.response).toMatchObject({ ok: true, encodedResult: "1" });
  }
}

const MB = 1024 * 1024;

describe("nothing outlives its run", () => {
  it("embedded QuickJS: handles and heap are back where they were after thousands of leaky runs", async () => {
    const ex = createQuickJSExecutor();
    await leakyRuns(ex, 40);
    await new Promise((r) => setTimeout(r, 50));
    gc();
    const handlesBefore = process.getActiveResourcesInfo().length;
    const heapBefore = process.memoryUsage().heapUsed;

    await leakyRuns(ex, RUNS);
    await new Promise((r) => setTimeout(r, 50));
    gc();
    const handles = process.getActiveResourcesInfo();
    // Today's code left RUNS × (TIMERS_PER_RUN + 1) timers armed here.
    expect(handles.length - handlesBefore).toBeLessThan(20);
    expect(handles.filter((h) => h === "Timeout").length).toBeLessThan(20);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * MB);
  }, 300_000);

  describe("worker threads", () => {
    const ex = createQuickJSThreadExecutor({ threads: 2 });
    afterAll(() => ex.close());

    it("each thread's handles and heap are back where they were after thousands of leaky runs", async () => {
      await leakyRuns(ex, 40);
      const before = await ex.resources();
      expect(before).toHaveLength(2);

      await leakyRuns(ex, RUNS);
      const after = await ex.resources();
      expect(after).toHaveLength(2);
      for (let i = 0; i < after.length; i++) {
        const b = before[i] as (typeof before)[number];
        const a = after[i] as (typeof after)[number];
        expect(a.handles.length - b.handles.length).toBeLessThan(20);
        expect(a.handles.filter((h) => h === "Timeout").length).toBeLessThan(20);
        // No forced GC in the thread: compared loosely (today's code kept ~100k timers per thread).
        expect(a.heapUsed - b.heapUsed).toBeLessThan(64 * MB);
      }
    }, 300_000);
  });
});

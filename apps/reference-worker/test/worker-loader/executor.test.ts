import { env } from "cloudflare:test";
import { createWorkerLoaderExecutor, WorkerLoaderConfigError } from "@toolpacks/runtime/cloudflare";
import { describe, expect, it } from "vitest";

// Behaviour specific to the Worker Loader executor; the runtime's shared conformance and
// hostile-program suites run against it in conformance.test.ts.
const limits = {
  timeoutMs: 2000,
  memoryMb: 64,
  maxToolCalls: 20,
  maxConcurrentCalls: 4,
  maxLogBytes: 4096,
  maxResultBytes: 65536,
};

function run(code: string, over: Partial<typeof limits> = {}, calls: string[] = []) {
  const executor = createWorkerLoaderExecutor({ loader: env.LOADER });
  return executor.run({
    code,
    bindings: { crm: ["get_deal"] },
    limits: { ...limits, ...over },
    callTool: async (ns, tool, args) => {
      calls.push(`${ns}.${tool}`);
      return args;
    },
  });
}

describe("Worker Loader executor", () => {
  it("runs a program in a dynamic isolate and bridges tool calls to the host", async () => {
    const calls: string[] = [];
    const r = await run(
      `const d = await crm.get_deal({ id: 7 }); console.log("got", d); return { d, n: 1n };`,
      {},
      calls,
    );
    expect(r).toMatchObject({
      ok: true,
      logs: [{ level: "log", text: 'got {"id":7}' }],
      stats: { toolCalls: 1 },
    });
    expect(JSON.parse(r.encodedResult ?? "")).toEqual({ d: { id: 7 }, n: { $tp: "n", v: "1" } });
    expect(calls).toEqual(["crm.get_deal"]);
  });

  it("gives the program no network: fetch is hidden and the isolate's outbound is blocked", async () => {
    const hidden = await run(`return typeof fetch;`);
    expect(JSON.parse(hidden.encodedResult ?? "")).toBe("undefined");
    // The global scope's own fetch, reached through its prototype, fails too: globalOutbound is null.
    const r = await run(
      `try { await Object.getPrototypeOf(globalThis).fetch.call(globalThis, "https://example.com"); return "reached"; } catch (e) { return "blocked: " + e.message; }`,
    );
    expect(JSON.parse(r.encodedResult ?? "")).toMatch(/^blocked: /);
    expect(JSON.parse(r.encodedResult ?? "")).not.toContain("reached");
  });

  it("refuses dynamic import, which would load workerd's built-in modules", async () => {
    const r = await run(`const m = await import("node:net"); return typeof m;`);
    expect(r.error?.code).toBe("SYNTAX_ERROR");
  });

  it("gives the program no bindings, no module loader and no host functions", async () => {
    const r = await run(
      `return [typeof require, typeof module, typeof exports, typeof env, typeof globalThis.LOADER, typeof __tp_bridge].join(",");`,
    );
    expect(JSON.parse(r.encodedResult ?? "")).toBe(
      "undefined,undefined,undefined,undefined,undefined,undefined",
    );
  });

  it("stops a synchronous infinite loop with TIMEOUT instead of hanging the Worker", async () => {
    const r = await run(`while (true) {}`, { timeoutMs: 300 });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe("TIMEOUT");
  });

  it("stops a loop that catches the budget error and tries again", async () => {
    const r = await run(`for (;;) { try { while (true) {} } catch {} }`, { timeoutMs: 300 });
    expect(r.error?.code).toBe("TIMEOUT");
  });

  it("stops runaway recursion through arrow functions", async () => {
    const r = await run(`const f = (n) => n + 1; let x = 0; for (let i = 0; ; i++) x = f(x);`, {
      timeoutMs: 300,
    });
    expect(r.error?.code).toBe("TIMEOUT");
  });

  it("reports a program that awaits a promise nothing can settle", async () => {
    const r = await run(`await new Promise(() => {});`, { timeoutMs: 300 });
    expect(r.ok).toBe(false);
    expect(["UNSETTLED", "TIMEOUT"]).toContain(r.error?.code);
  });

  it("times out a program sleeping past its time budget", async () => {
    const started = Date.now();
    const r = await run(`await new Promise((resolve) => setTimeout(resolve, 60_000)); return 1;`, {
      timeoutMs: 200,
    });
    expect(r.error?.code).toBe("TIMEOUT");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("reports runtime errors at the model's own line and column", async () => {
    const r = await run(`const a = 1;\nthrow new Error("boom");`);
    expect(r.error).toEqual({ code: "RUNTIME_ERROR", message: "Error: boom", line: 2, column: 7 });
  });

  it("refuses code that would close the wrapper function", async () => {
    const r = await run(`return 1; }); globalThis.pwned = true; (async function () {`);
    expect(r.error?.code).toBe("SYNTAX_ERROR");
  });

  it("runs the model's code in sloppy mode like the embedded executor", async () => {
    const r = await run(`total = 5; return total;`);
    expect(r.encodedResult).toBe("5");
  });

  it("keeps logs within maxLogBytes and says how much was dropped", async () => {
    const r = await run(`for (let i = 0; i < 1000; i++) console.log("line " + i); return 1;`, {
      maxLogBytes: 200,
    });
    const text = r.logs.map((l) => l.text).join("\n");
    expect(text.length).toBeLessThan(400);
    expect(r.logs.at(-1)?.text).toMatch(/^\[logs truncated: \d+ more bytes/);
  });

  it("fails the run past maxToolCalls", async () => {
    const r = await run(`for (let i = 0; i < 50; i++) await crm.get_deal({ i }); return "done";`, {
      maxToolCalls: 5,
    });
    expect(r.error?.code).toBe("TOOL_CALL_LIMIT");
    expect(r.stats.toolCalls).toBe(6);
  });

  it("needs a Worker Loader binding", () => {
    expect(() => createWorkerLoaderExecutor({ loader: undefined as never })).toThrow(WorkerLoaderConfigError);
  });
});

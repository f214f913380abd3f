/**
 * The shared executor conformance suite. Every executor must pass it:
 *   runExecutorConformance(() => createQuickJSExecutor(), { describe, it, expect })
 */
import type { Executor } from "../types.js";
import { createFakeToolHost, runProgram, type TestApi } from "./harness.js";

export function runExecutorConformance(
  makeExecutor: () => Executor,
  { describe, it, expect }: TestApi,
): void {
  describe(`executor conformance: ${makeExecutor().name}`, () => {
    const ex = makeExecutor();

    it("runs a script body with top-level await and return", async () => {
      const { response, result } = await runProgram(
        ex,
        "const x = await Promise.resolve(20);\nreturn x + 22;",
      );
      expect(response.ok).toBe(true);
      expect(result).toBe(42);
    });

    it("returns undefined when the program does not return", async () => {
      const { response } = await runProgram(ex, "const x = 1;");
      expect(response.ok).toBe(true);
      expect(response.encodedResult).toBe('{"$tp":"u"}');
    });

    it("carries BigInt, Date, Map, Set, undefined, -0, NaN and cycles out of the sandbox", async () => {
      const { response } = await runProgram(
        ex,
        "const o = { big: 10n ** 20n, d: new Date(0), m: new Map([[1, 'a']]), s: new Set(['x']), u: undefined, z: -0, n: NaN };\no.self = o;\nreturn o;",
      );
      expect(response.ok).toBe(true);
      const { decode } = await import("../../codec/wire.js");
      const v = decode(response.encodedResult as string) as Record<string, unknown>;
      expect(v.big).toBe(10n ** 20n);
      expect((v.d as Date).toISOString()).toBe("1970-01-01T00:00:00.000Z");
      expect(v.m).toEqual(new Map([[1, "a"]]));
      expect(v.s).toEqual(new Set(["x"]));
      expect(Object.hasOwn(v, "u")).toBe(true);
      expect(Object.is(v.z, -0)).toBe(true);
      expect(Number.isNaN(v.n)).toBe(true);
      expect(v.self).toBe(v);
    });

    it("carries the same kinds into the sandbox from a tool", async () => {
      const { response, result } = await runProgram(
        ex,
        "const k = await t.kinds();\nreturn [typeof k.big, k.big === 12345678901234567890n, k.date instanceof Date, k.date.getUTCFullYear(), k.map instanceof Map, k.map.get(2), k.set.has(3), 'undef' in k, k.cyc.self === k.cyc, Object.is(k.negZero, -0), Number.isNaN(k.nan)];",
      );
      expect(response.ok).toBe(true);
      expect(result).toEqual(["bigint", true, true, 2024, true, "b", true, true, true, true, true]);
    });

    it("sends BigInt, Date, Map and Set as tool arguments", async () => {
      const host = createFakeToolHost();
      const { response } = await runProgram(
        ex,
        "return await t.echo({ n: 5n, d: new Date(86400000), m: new Map([['k', 1]]), s: new Set([1]) });",
        {},
        host,
      );
      expect(response.ok).toBe(true);
      const args = host.calls[0]?.args as Record<string, unknown>;
      expect(args.n).toBe(5n);
      expect((args.d as Date).getTime()).toBe(86400000);
      expect(args.m).toEqual(new Map([["k", 1]]));
      expect(args.s).toEqual(new Set([1]));
    });

    it("runs tool calls in parallel under Promise.all, results in order", async () => {
      const host = createFakeToolHost();
      const { response, result } = await runProgram(
        ex,
        "return await Promise.all([1, 2, 3, 4, 5].map((i) => t.slow({ ms: 150, value: i })));",
        {},
        host,
      );
      expect(response.ok).toBe(true);
      expect(result).toEqual([1, 2, 3, 4, 5]);
      // All five were in flight at once.
      expect(host.maxActive).toBe(5);
      expect(response.stats.toolCalls).toBe(5);
    });

    it("holds concurrent calls to maxConcurrentCalls", async () => {
      const host = createFakeToolHost();
      const { response, result } = await runProgram(
        ex,
        "const r = await Promise.all(Array.from({ length: 12 }, (_, i) => t.slow({ ms: 10, value: i })));\nreturn r.length;",
        { maxConcurrentCalls: 3 },
        host,
      );
      expect(response.ok).toBe(true);
      expect(result).toBe(12);
      expect(host.maxActive).toBeLessThanOrEqual(3);
    });

    it("fails the run past maxToolCalls", async () => {
      const { response } = await runProgram(
        ex,
        "for (let i = 0; i < 10; i++) await t.echo(i);\nreturn 'done';",
        {
          maxToolCalls: 5,
        },
      );
      expect(response.ok).toBe(false);
      expect(response.error?.code).toBe("TOOL_CALL_LIMIT");
    });

    it("turns tool failures into catchable ToolCallErrors with the tool's code", async () => {
      const { response, result } = await runProgram(
        ex,
        "try {\n  await t.fail({ code: 'NOT_FOUND', message: 'no such customer' });\n} catch (e) {\n  return [e.name, e.code, e.message, e instanceof ToolCallError];\n}",
      );
      expect(response.ok).toBe(true);
      expect(result).toEqual(["ToolCallError", "NOT_FOUND", "no such customer", true]);
    });

    it("reports an uncaught tool failure with the line of the call", async () => {
      const { response } = await runProgram(
        ex,
        "const a = 1;\nconst b = await t.fail({ message: 'nope' });\nreturn b;",
      );
      expect(response.ok).toBe(false);
      expect(response.error?.code).toBe("TOOL_ERROR");
      expect(response.error?.message).toContain("nope");
      expect(response.error?.line).toBe(2);
    });

    it("reports thrown errors with line and column in the program", async () => {
      const { response } = await runProgram(ex, "const a = 1;\n\n  throw new Error('boom');");
      expect(response.ok).toBe(false);
      expect(response.error?.code).toBe("RUNTIME_ERROR");
      expect(response.error?.message).toContain("boom");
      expect(response.error?.line).toBe(3);
      expect(response.error?.column).toBeGreaterThan(0);
    });

    it("reports non-Error throws readably", async () => {
      const { response } = await runProgram(ex, "throw { reason: 'bad', n: 1 };");
      expect(response.ok).toBe(false);
      expect(response.error?.message).toContain('"reason":"bad"');
    });

    it("reports syntax errors with their line", async () => {
      const { response } = await runProgram(ex, "const a = 1;\nconst b = ;");
      expect(response.ok).toBe(false);
      expect(response.error?.code).toBe("SYNTAX_ERROR");
      expect(response.error?.line).toBe(2);
    });

    it("captures console levels and renders objects as JSON", async () => {
      const { response } = await runProgram(
        ex,
        "console.log('hello', { a: [1, 2], b: 'x' });\nconsole.info(1n, undefined, null);\nconsole.warn(new Map([['k', 1]]));\nconsole.error(new Error('bad'));",
      );
      expect(response.logs).toEqual([
        { level: "log", text: 'hello {"a":[1,2],"b":"x"}' },
        { level: "info", text: "1n undefined null" },
        { level: "warn", text: 'Map(1) {"k" => 1}' },
        { level: "error", text: '"Error: bad"' },
      ]);
      expect(response.logs.map((l: { text: string }) => l.text).join("")).not.toContain("[object Object]");
    });

    it("keeps logs within maxLogBytes and says so", async () => {
      const { response } = await runProgram(
        ex,
        "for (let i = 0; i < 1000; i++) console.log('line ' + i);\nreturn 1;",
        {
          maxLogBytes: 500,
        },
      );
      expect(response.ok).toBe(true);
      const kept = response.logs
        .slice(0, -1)
        .reduce((n: number, l: { text: string }) => n + l.text.length + 1, 0);
      expect(kept).toBeLessThanOrEqual(500);
      expect(response.logs.at(-1)?.text).toContain("logs truncated");
    });

    it("stops an infinite loop at timeoutMs", async () => {
      const started = Date.now();
      const { response } = await runProgram(ex, "while (true) {}", { timeoutMs: 200 });
      expect(response.ok).toBe(false);
      expect(response.error?.code).toBe("TIMEOUT");
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it("does not count time spent awaiting tool calls against timeoutMs", async () => {
      const { response, result } = await runProgram(ex, "return await t.slow({ ms: 1200, value: 'late' });", {
        timeoutMs: 400,
      });
      expect(response.ok).toBe(true);
      expect(result).toBe("late");
    });

    it("fails a memory bomb with MEMORY_LIMIT and keeps serving", async () => {
      const { response } = await runProgram(
        ex,
        "const a = [];\nwhile (true) a.push(new ArrayBuffer(1 << 20));",
        {
          memoryMb: 16,
          timeoutMs: 5000,
        },
      );
      expect(response.ok).toBe(false);
      expect(["MEMORY_LIMIT", "TIMEOUT"]).toContain(response.error?.code);
      const next = await runProgram(ex, "return 'still fine';");
      expect(next.result).toBe("still fine");
    });

    it("rejects calls to tools that do not exist with UNKNOWN_TOOL", async () => {
      const { response } = await runProgram(ex, "return await t.nope({});");
      expect(response.ok).toBe(false);
      expect(response.error?.code).toBe("UNKNOWN_TOOL");
      expect(response.error?.message).toContain("t.nope");
    });

    it("supports setTimeout", async () => {
      const { response, result } = await runProgram(
        ex,
        "const order = [];\nsetTimeout(() => order.push('b'), 20);\norder.push('a');\nawait new Promise((r) => setTimeout(r, 50));\nreturn order;",
      );
      expect(response.ok).toBe(true);
      expect(result).toEqual(["a", "b"]);
    });

    it("reports a program that can never finish", async () => {
      const { response } = await runProgram(ex, "await new Promise(() => {});", { timeoutMs: 5000 });
      expect(response.ok).toBe(false);
      expect(response.error?.code).toBe("UNSETTLED");
    });

    it("gives every run fresh globals", async () => {
      await runProgram(ex, "globalThis.leak = 'secret'; Object.prototype.leaked = 1; return 1;");
      const { result } = await runProgram(ex, "return [typeof globalThis.leak, typeof ({}).leaked];");
      expect(result).toEqual(["undefined", "undefined"]);
    });

    it("refuses a program over maxProgramBytes with PROGRAM_TOO_LARGE, naming the limit", async () => {
      const code = `return ${JSON.stringify("x".repeat(3000))}.length;`;
      const { response } = await runProgram(ex, code, { maxProgramBytes: 2048 });
      expect(response.ok).toBe(false);
      expect(response.error?.code).toBe("PROGRAM_TOO_LARGE");
      expect(response.error?.message).toContain("2048-byte limit");
      // Multi-byte text is measured in UTF-8 bytes, not characters.
      const wide = await runProgram(ex, `return ${JSON.stringify("é".repeat(1500))}.length;`, {
        maxProgramBytes: 2048,
      });
      expect(wide.response.error?.code).toBe("PROGRAM_TOO_LARGE");
      const fits = await runProgram(ex, code, { maxProgramBytes: 8192 });
      expect(fits.result).toBe(3000);
    });

    it("refuses tool arguments over maxArgumentBytes before the tool sees them, catchably", async () => {
      const host = createFakeToolHost();
      const { response, result } = await runProgram(
        ex,
        "const codes = [];\nfor (const s of ['x'.repeat(5000), 'é'.repeat(600)]) {\n  try { await t.echo({ s }); codes.push('sent'); } catch (e) { codes.push(e.code + ' ' + e.message); }\n}\nconst ok = await t.echo({ s: 'small' });\nreturn { codes, ok };",
        { maxArgumentBytes: 1024 },
        host,
      );
      expect(response.ok).toBe(true);
      const { codes, ok } = result as { codes: string[]; ok: unknown };
      expect(codes).toHaveLength(2);
      for (const c of codes) {
        expect(c).toMatch(/^ARGUMENTS_TOO_LARGE /);
        expect(c).toContain("1024-byte limit");
      }
      expect(ok).toEqual({ s: "small" });
      // Only the call that fits reached the host.
      expect(host.calls.map((c) => c.tool)).toEqual(["echo"]);
    });

    it("never starts calls still queued when the run ends", async () => {
      const host = createFakeToolHost();
      const { response } = await runProgram(
        ex,
        "for (let i = 0; i < 12; i++) t.slow({ ms: 40, value: i });\nreturn 'left early';",
        { maxConcurrentCalls: 2 },
        host,
      );
      expect(response.ok).toBe(true);
      // Long enough for a queue that kept going to start every call (12 × 40 ms / 2).
      await new Promise((r) => setTimeout(r, 600));
      expect(host.calls.length).toBeLessThanOrEqual(2);
    });

    it("gives each run its own memory: one run's allocation never fails another's", async () => {
      const MB = 1024 * 1024;
      const limits = { memoryMb: 64, timeoutMs: 10_000 };
      // A holds 50 MB (within its own 64 MB) while B allocates 40 MB and C runs out of its own 16 MB.
      const a = runProgram(
        ex,
        `const a = new Uint8Array(${50 * MB});\na.fill(1);\nawait t.slow({ ms: 1500 });\nreturn a.length + a[${50 * MB - 1}];`,
        limits,
      );
      const b = runProgram(
        ex,
        `await t.slow({ ms: 300 });\nconst b = new Uint8Array(${40 * MB});\nb.fill(2);\nreturn b.length + b[0];`,
        limits,
      );
      const c = runProgram(
        ex,
        "await t.slow({ ms: 300 });\nconst keep = [];\nwhile (true) keep.push(new Uint8Array(1 << 20).fill(3));",
        { memoryMb: 16, timeoutMs: 10_000 },
      );
      const [ra, rb, rc] = await Promise.all([a, b, c]);
      expect({ ok: ra.response.ok, error: ra.response.error, result: ra.result }).toEqual({
        ok: true,
        error: undefined,
        result: 50 * MB + 1,
      });
      expect({ ok: rb.response.ok, error: rb.response.error, result: rb.result }).toEqual({
        ok: true,
        error: undefined,
        result: 40 * MB + 2,
      });
      expect(rc.response.ok).toBe(false);
      expect(rc.response.error?.code).toBe("MEMORY_LIMIT");
    }, 60_000);

    it("runs several programs at once without mixing them up", async () => {
      const runs = await Promise.all(
        [1, 2, 3, 4].map((i) =>
          runProgram(
            ex,
            `globalThis.me = ${i};\nawait t.slow({ ms: ${40 - i * 5} });\nreturn globalThis.me;`,
          ),
        ),
      );
      expect(runs.map((r) => r.result)).toEqual([1, 2, 3, 4]);
    });
  });
}

/**
 * Sandbox benchmarks (run by `pnpm bench`, never as timed tests):
 *   - per-run overhead (create sandbox + trivial program) of each executor beside an
 *     unsandboxed in-process baseline, p50 and p99, with the prepared-sandbox pool warm
 *     (idle host between runs) and cold (runs back to back, each compiling its prelude);
 *   - overhead per tool call across the boundary (sequential and under Promise.all);
 *   - runs per second, back to back, on one thread.
 */
import { createQuickJSExecutor } from "../src/executors/quickjs/executor.js";
import { createQuickJSThreadExecutor } from "../src/executors/quickjs-thread/executor.js";
import type { Executor, SandboxLimits } from "../src/executors/types.js";

export interface ExecutorUnderTest {
  name: string;
  make: () => Executor | Promise<Executor>;
}

export interface SandboxBenchOptions {
  /** Runs per measurement. Default 500. */
  runs?: number;
  /** Tool calls per program for the per-call figure. Default 2000. */
  calls?: number;
  /** Executors to measure. Default: the embedded QuickJS executor. */
  executors?: ExecutorUnderTest[];
}

export interface SandboxBenchRow {
  executor: string;
  /** Per-run overhead with an idle host between runs (prepared sandbox ready), ms. */
  runP50Ms: number;
  runP99Ms: number;
  /** Per-run overhead back to back (each run also builds a sandbox), ms. */
  coldP50Ms: number;
  coldP99Ms: number;
  /** Overhead per sequential tool call, ms. */
  callMs: number;
  /** Overhead per tool call under Promise.all, ms. */
  parallelCallMs: number;
  /** Back-to-back runs per second on one thread. */
  runsPerSecond: number;
}

const LIMITS: SandboxLimits = {
  timeoutMs: 10_000,
  memoryMb: 64,
  maxToolCalls: 1_000_000,
  maxConcurrentCalls: 1_000_000,
  maxLogBytes: 65_536,
  maxResultBytes: 65_536,
};

const TRIVIAL = "return 1 + 1;";
const noopTool = async () => "1";

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

const idle = () => new Promise<void>((r) => setImmediate(r));

function round(n: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** An unsandboxed in-process "executor": the program as a plain async function in the host. */
export function inProcessBaseline(): Executor {
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<unknown>;
  const cache = new Map<string, (...a: unknown[]) => Promise<unknown>>();
  return {
    name: "in-process (unsandboxed baseline)",
    async run(req) {
      const start = performance.now();
      let fn = cache.get(req.code);
      if (!fn) {
        fn = new AsyncFunction("t", req.code);
        cache.set(req.code, fn);
      }
      let calls = 0;
      const t = {
        echo: async (x: unknown) => {
          calls++;
          return JSON.parse(await req.callTool("t", "echo", JSON.stringify(x ?? null)));
        },
      };
      const value = await fn(t);
      return {
        ok: true,
        encodedResult: JSON.stringify(value ?? null),
        logs: [],
        stats: { wallMs: performance.now() - start, toolCalls: calls },
      };
    },
  };
}

async function measure(
  ex: Executor,
  opts: Required<Omit<SandboxBenchOptions, "executors">>,
): Promise<SandboxBenchRow> {
  const req = (code: string) => ({ code, bindings: { t: ["echo"] }, limits: LIMITS, callTool: noopTool });
  for (let i = 0; i < 50; i++) await ex.run(req(TRIVIAL)); // warm-up
  const warm: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    await idle();
    await idle();
    const s = performance.now();
    await ex.run(req(TRIVIAL));
    warm.push(performance.now() - s);
  }
  const cold: number[] = [];
  const loopStart = performance.now();
  for (let i = 0; i < opts.runs; i++) {
    const s = performance.now();
    await ex.run(req(TRIVIAL));
    cold.push(performance.now() - s);
  }
  const runsPerSecond = opts.runs / ((performance.now() - loopStart) / 1000);
  warm.sort((a, b) => a - b);
  cold.sort((a, b) => a - b);

  const seqCode = `for (let i = 0; i < ${opts.calls}; i++) await t.echo(i);\nreturn 1;`;
  const parCode = `await Promise.all(Array.from({ length: ${opts.calls} }, (_, i) => t.echo(i)));\nreturn 1;`;
  const timeOf = async (code: string) => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      await idle();
      const s = performance.now();
      const r = await ex.run(req(code));
      if (!r.ok) throw new Error(`${ex.name}: ${r.error?.code} ${r.error?.message}`);
      samples.push(performance.now() - s);
    }
    return samples.sort((a, b) => a - b)[2] as number;
  };
  const base = pct(warm, 0.5);
  const seq = await timeOf(seqCode);
  const par = await timeOf(parCode);
  return {
    executor: ex.name,
    runP50Ms: round(base),
    runP99Ms: round(pct(warm, 0.99)),
    coldP50Ms: round(pct(cold, 0.5)),
    coldP99Ms: round(pct(cold, 0.99)),
    callMs: round(Math.max(0, seq - base) / opts.calls),
    parallelCallMs: round(Math.max(0, par - base) / opts.calls),
    runsPerSecond: Math.round(runsPerSecond),
  };
}

/** Measures every executor (and the in-process baseline). */
export async function benchSandbox(options: SandboxBenchOptions = {}): Promise<SandboxBenchRow[]> {
  const opts = { runs: options.runs ?? 500, calls: options.calls ?? 2000 };
  const executors: ExecutorUnderTest[] = [
    { name: "in-process", make: inProcessBaseline },
    ...(options.executors ?? [
      { name: "quickjs", make: () => createQuickJSExecutor() },
      // The same sandbox on a worker thread: what the message round-trips cost per run and per call.
      { name: "quickjs-thread", make: () => createQuickJSThreadExecutor({ threads: 1 }) },
    ]),
  ];
  const rows: SandboxBenchRow[] = [];
  for (const e of executors) rows.push(await measure(await e.make(), opts));
  return rows;
}

/** A plain-text table of the rows. */
export function formatSandboxTable(rows: SandboxBenchRow[]): string {
  const head = [
    "executor",
    "run p50 ms",
    "run p99 ms",
    "cold p50 ms",
    "cold p99 ms",
    "per call ms",
    "per call (all) ms",
    "runs/s",
  ];
  const body = rows.map((r) => [
    r.executor,
    r.runP50Ms.toFixed(3),
    r.runP99Ms.toFixed(3),
    r.coldP50Ms.toFixed(3),
    r.coldP99Ms.toFixed(3),
    r.callMs.toFixed(4),
    r.parallelCallMs.toFixed(4),
    String(r.runsPerSecond),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

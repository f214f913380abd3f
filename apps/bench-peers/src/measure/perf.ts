/**
 * Sandbox cost of one adapter, measured the same way for every project (pure JavaScript, no Node
 * APIs, so it runs in the Node host and in the host Worker inside workerd alike):
 *   - per-run overhead: create the sandbox and run a trivial program, p50 and p99;
 *   - per sequential tool call and per call under Promise.all: the run's time over the trivial
 *     run's p50, divided by the calls;
 *   - runs per second with several runs in flight at once.
 * Timing never fails a run: a failed run is reported with its error instead of a figure.
 */
import type { PeerAdapter, PeerLimits, PeerRunRequest } from "../adapter.js";

export interface PerfOptions {
  /** Timed trivial runs (after WARM_UP_RUNS warm-up runs). */
  runs: number;
  /** Tool calls in the sequential program. */
  seqCalls: number;
  /** Tool calls under one Promise.all. */
  parCalls: number;
  /** Length of the throughput window, ms. */
  throughputMs: number;
  /** Runs in flight at once during the throughput window. */
  concurrency: number;
}

export const DEFAULT_PERF: PerfOptions = {
  runs: 100,
  seqCalls: 200,
  parCalls: 50,
  throughputMs: 3_000,
  concurrency: 8,
};

/** A project's sandbox cost; a figure is missing where its measurement failed (see `failures`). */
export interface PerfFigures {
  runP50Ms?: number;
  runP99Ms?: number;
  seqCallMs?: number;
  parCallMs?: number;
  runsPerSecond?: number;
  /** Figure -> why it could not be measured (the program failed, or the host hung or died). */
  failures: Partial<Record<PerfFigure | "memory", string>>;
}

export const TRIVIAL_PROGRAM = "return 1 + 1;";
/** Trivial runs before each figure is measured (module loading, JIT, pools). */
export const WARM_UP_RUNS = 10;
export const PERF_BINDINGS: Record<string, string[]> = { t: ["echo"] };

const echoHost = async (_ns: string, _tool: string, input: unknown) => input;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

function round(n: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// The calls echo small objects, the shape of a real tool answer.

/** The program making `n` sequential calls to `t.echo`. */
export function sequentialProgram(n: number): string {
  return `for (let i = 0; i < ${n}; i++) await t.echo({ i });\nreturn 1;`;
}

/** The program making `n` calls to `t.echo` under one Promise.all. */
export function parallelProgram(n: number): string {
  return `const r = await Promise.all(Array.from({ length: ${n} }, (_, i) => t.echo({ i })));\nreturn r.length;`;
}

async function runOk(adapter: PeerAdapter, code: string, limits: PeerLimits): Promise<void> {
  const request: PeerRunRequest = { code, bindings: PERF_BINDINGS, callTool: echoHost, limits };
  const result = await adapter.run(request);
  if (!result.ok) {
    throw new Error(`${adapter.id} failed a benchmark program: ${result.error?.message ?? "no error given"}`);
  }
}

/** One figure of the sandbox cost, measured as its own request so a host lost on one keeps the others. */
export type PerfFigure = "runs" | "sequential" | "parallel" | "throughput";

/** What one figure's measurement returns: per-run p50/p99, a program's median ms, or runs per second. */
export type FigureValue = { p50: number; p99: number } | { medianMs: number } | { runsPerSecond: number };

/** Measures one figure of one adapter. `now` is the clock (performance.now where it advances). */
export async function measureFigure(
  adapter: PeerAdapter,
  figure: PerfFigure,
  options: PerfOptions,
  limits: PeerLimits,
  now: () => number = () => performance.now(),
): Promise<FigureValue> {
  for (let i = 0; i < WARM_UP_RUNS; i++) await runOk(adapter, TRIVIAL_PROGRAM, limits);
  switch (figure) {
    case "runs": {
      const samples: number[] = [];
      for (let i = 0; i < options.runs; i++) {
        const start = now();
        await runOk(adapter, TRIVIAL_PROGRAM, limits);
        samples.push(now() - start);
      }
      samples.sort((a, b) => a - b);
      return { p50: round(percentile(samples, 0.5)), p99: round(percentile(samples, 0.99)) };
    }
    case "sequential":
    case "parallel": {
      const code =
        figure === "sequential" ? sequentialProgram(options.seqCalls) : parallelProgram(options.parCalls);
      await runOk(adapter, code, limits);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = now();
        await runOk(adapter, code, limits);
        times.push(now() - start);
      }
      return { medianMs: round((times.sort((a, b) => a - b)[2] as number) ?? Number.NaN) };
    }
    case "throughput": {
      let completed = 0;
      const started = now();
      const deadline = started + options.throughputMs;
      const lane = async () => {
        while (now() < deadline) {
          await runOk(adapter, TRIVIAL_PROGRAM, limits);
          completed++;
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, lane));
      return { runsPerSecond: Math.round(completed / ((now() - started) / 1000)) };
    }
  }
}

/** Per-call cost from a program's median time: (median - per-run p50) / calls, never below 0. */
export function perCallMs(medianMs: number, runP50Ms: number, calls: number): number {
  return round(Math.max(0, medianMs - runP50Ms) / calls);
}

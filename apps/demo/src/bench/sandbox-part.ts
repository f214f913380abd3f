// The runtime keeps its sandbox benchmark next to its sources (packages/runtime/bench), outside
// its published entry points; the demo runs it from there instead of measuring executors twice.
import { benchSandbox, type SandboxBenchRow } from "../../../../packages/runtime/bench/sandbox.js";
import type { Progress } from "../progress/progress.js";
import { formatInt, markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";

/** Options of the sandbox-overhead part. */
export interface SandboxPartOptions {
  /** Runs per measurement (the runtime's default is 500). */
  runs: number;
  /** Tool calls per program for the per-call figure (the runtime's default is 2000). */
  calls: number;
  progress: Progress;
  command: string;
}

const ms = (n: number, digits = 3) => n.toFixed(digits);

/** The executors side by side with the unsandboxed baseline. */
export function sandboxTable(rows: readonly SandboxBenchRow[]): Table {
  return {
    header: [
      "executor",
      "run p50 ms",
      "run p99 ms",
      "cold p50 ms",
      "cold p99 ms",
      "per call ms",
      "per call (parallel) ms",
      "runs/s",
    ],
    rows: rows.map((r) => [
      r.executor,
      ms(r.runP50Ms),
      ms(r.runP99Ms),
      ms(r.coldP50Ms),
      ms(r.coldP99Ms),
      ms(r.callMs, 4),
      ms(r.parallelCallMs, 4),
      formatInt(r.runsPerSecond),
    ]),
    numeric: [1, 2, 3, 4, 5, 6, 7],
  };
}

/** Runs the runtime's sandbox benchmark and turns it into a table and a report. */
export async function runSandboxPart(
  options: SandboxPartOptions,
): Promise<{ rows: SandboxBenchRow[]; table: Table; report: ReportPart }> {
  const step = options.progress.step(
    `sandbox overhead (${options.runs} runs, ${options.calls} calls per program)`,
  );
  const rows = await benchSandbox({ runs: options.runs, calls: options.calls });
  step.done();
  const table = sandboxTable(rows);
  const sandboxed = rows.filter((r) => !r.executor.startsWith("in-process"));
  const markdown = [
    "# Sandbox overhead",
    "",
    `Command: \`${options.command}\`. Measured by the runtime's benchmark module`,
    "(`packages/runtime/bench/sandbox.ts`): a trivial program per run, with the host idle between runs",
    "(prepared sandbox ready) and back to back (cold: each run also builds its sandbox); the cost of one",
    "tool call across the sandbox boundary, sequential and under Promise.all; runs per second on one thread.",
    "The in-process row runs the same program as a plain async function, unsandboxed.",
    "",
    markdownTable(table),
    "",
    ...sandboxed.map(
      (r) =>
        `${r.executor}: p50 ${ms(r.runP50Ms)} ms per run (target <= 1 ms), ${ms(r.callMs, 4)} ms per tool call.`,
    ),
    "",
  ].join("\n");
  return {
    rows,
    table,
    report: {
      name: "sandbox-overhead",
      data: rows,
      markdown,
      charts: [
        {
          id: "per-run",
          chart: {
            title: "Per-run overhead",
            unit: "ms",
            log: true,
            categories: rows.map((r) => r.executor),
            series: [
              { name: "p50 (warm)", values: rows.map((r) => r.runP50Ms) },
              { name: "p99 (warm)", values: rows.map((r) => r.runP99Ms) },
              { name: "p50 (cold)", values: rows.map((r) => r.coldP50Ms) },
            ],
          },
        },
      ],
    },
  };
}

// The runtime keeps its sandbox benchmark next to its sources (packages/runtime/bench), outside
// its published entry points; the demo runs it from there instead of measuring executors twice.
import { benchIntake, type IntakeBenchRow } from "../../../../packages/runtime/bench/intake.js";
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
  /** Samples per adversarial program and its size in the intake table. Default 5 at 256 KiB (the cap). */
  intake?: { samples: number; bytes: number };
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

/** Worst-case intake: type-stripping and parsing of adversarial programs at the size cap. */
export function intakeTable(rows: readonly IntakeBenchRow[]): Table {
  return {
    header: ["adversarial program", "bytes", "p50 ms", "max ms", "outcome"],
    rows: rows.map((r) => [r.input, formatInt(r.bytes), ms(r.p50Ms, 1), ms(r.maxMs, 1), r.outcome]),
    numeric: [1, 2, 3],
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
  const intakeBytes = options.intake?.bytes ?? 256 * 1024;
  const intakeStep = options.progress.step(
    `intake worst case (adversarial programs of ${intakeBytes} bytes)`,
  );
  const intake = benchIntake(options.intake?.samples ?? 5, intakeBytes);
  intakeStep.done();
  const worst = intake.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
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
    "## Intake worst case",
    "",
    `Type-stripping (sucrase) and parsing (acorn) of adversarial programs of ${intakeBytes} bytes (the`,
    "program-size cap `maxProgramBytes` is 256 KiB by default and checked before both),",
    "`packages/runtime/bench/intake.ts`. This work counts against the run's `timeoutMs`; the cap bounds it.",
    "",
    markdownTable(intakeTable(intake)),
    "",
    `Slowest: ${worst.input}, ${ms(worst.maxMs, 1)} ms.`,
    "",
  ].join("\n");
  return {
    rows,
    table,
    report: {
      name: "sandbox-overhead",
      data: { executors: rows, intake },
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

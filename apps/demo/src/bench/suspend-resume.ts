// What durable runs cost on the order-to-cash run: every write waits for approval, so the run
// suspends at each batch of writes and is resumed (re-executed, earlier calls from its ledger)
// until it finishes. Measured against the same run answered by an approver in process.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPacks } from "@toolpacks/pack-kit/node";
import { approveAll, createCodeMode, createDurableRuns, createGovernance } from "@toolpacks/runtime";
import { sqliteContinuationStore } from "@toolpacks/runtime/node";
import { loadOrderToCashProgram } from "../order-to-cash/program.js";
import { ALL_PACKS } from "../packs/session.js";
import { markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";

/** The figures of one order-to-cash run suspended at every write batch. */
export interface SuspendResumeFigures {
  /** The same run with an in-process approver (no suspension). */
  plainMs: number;
  /** Suspensions before the run finished (one per batch of writes). */
  suspensions: number;
  /** The first `execute` up to its suspension, continuation stored (SQLite file). */
  suspendMs: number;
  /** Each resume: decisions stored, program re-executed, ledger replayed, next continuation stored. */
  resumeMs: number[];
  /** Bytes of each stored continuation, in order (the last one is the largest). */
  continuationBytes: number[];
  /** Tool calls the finished run made. */
  calls: number;
}

const KEYS = { current: "bench", keys: { bench: "bench-key-0123456789abcdef0123456789abcdef" } };

/** Runs order to cash twice on fresh worlds of the same seed: plainly, then suspended at every write batch. */
export async function benchSuspendResume(
  options: { scale?: number; seed?: number; maxRounds?: number } = {},
): Promise<SuspendResumeFigures> {
  const program = await loadOrderToCashProgram();
  const open = () =>
    openPacks([...ALL_PACKS], {
      scale: options.scale ?? 1_000,
      seed: options.seed ?? 1,
      importer: (specifier) => import(/* @vite-ignore */ specifier),
    });

  /** One plain run on a fresh world, in ms. */
  const plainRun = async (): Promise<number> => {
    const plainPacks = await open();
    const governance = createGovernance({ approver: approveAll, tracer: false });
    const plain = await createCodeMode({
      sources: plainPacks.servers.map(({ name, server }) => ({ name, server })),
      middleware: [governance.middleware],
      preflight: governance.preflight,
    });
    try {
      const started = performance.now();
      const result = await plain.execute(program);
      if (!result.ok) throw new Error(`order to cash failed: ${result.error?.code} ${result.error?.message}`);
      return performance.now() - started;
    } finally {
      await plain.close();
      await plainPacks.close();
    }
  };
  // The first run in a process pays for loading the sandbox and the packs' code: not measured.
  await plainRun();
  const plainMs = await plainRun();

  const dir = mkdtempSync(join(tmpdir(), "tp-bench-durable-"));
  const store = sqliteContinuationStore(dir);
  const packs = await open();
  const runs = createDurableRuns({ governance: { tracer: false }, store, keys: KEYS });
  const cm = await createCodeMode({
    sources: packs.servers.map(({ name, server }) => ({ name, server })),
    ...runs.hooks,
  });
  runs.attach(cm);
  try {
    let started = performance.now();
    let out = await runs.execute(program, { onApproval: "suspend" });
    const suspendMs = performance.now() - started;
    const resumeMs: number[] = [];
    const continuationBytes: number[] = [];
    let suspensions = 0;
    while (out.status === "suspended") {
      suspensions++;
      continuationBytes.push(out.continuationBytes);
      if (suspensions > (options.maxRounds ?? 500)) throw new Error("order to cash did not finish");
      started = performance.now();
      out = await runs.resume(out.runId, true);
      resumeMs.push(performance.now() - started);
    }
    if (!out.result.ok) throw new Error(`resumed order to cash failed: ${out.result.error?.message}`);
    return { plainMs, suspensions, suspendMs, resumeMs, continuationBytes, calls: out.result.calls.length };
  } finally {
    await cm.close();
    await packs.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures as a report part: one row per step, then the totals against the plain run. */
export function suspendResumeReport(f: SuspendResumeFigures, command: string): ReportPart & { table: Table } {
  const ms = (n: number) => n.toFixed(1);
  const kb = (n: number) => (n / 1024).toFixed(1);
  const total = f.suspendMs + f.resumeMs.reduce((a, b) => a + b, 0);
  const table: Table = {
    header: ["step", "ms", "continuation KiB"],
    rows: [
      ["plain run (approver in process)", ms(f.plainMs), "-"],
      ["execute until the first suspension", ms(f.suspendMs), kb(f.continuationBytes[0] ?? 0)],
      ...f.resumeMs.map((m, i): string[] => [
        `resume ${i + 1}${i === f.resumeMs.length - 1 ? " (finishes)" : ""}`,
        ms(m),
        i + 1 < f.continuationBytes.length ? kb(f.continuationBytes[i + 1] ?? 0) : "-",
      ]),
    ],
    numeric: [1, 2],
  };
  const markdown = [
    "# Durable runs: suspend and resume (order to cash)",
    "",
    `Command: \`${command}\`. The order-to-cash program over the four packs (world of 1,000, seed 1)`,
    "under the default policy, where every write needs approval: the run suspends at each batch of",
    "writes (continuation signed and stored in a SQLite file) and is resumed with every pending call",
    "approved, re-executing the program with earlier calls answered from its ledger, until it finishes.",
    "",
    markdownTable(table),
    "",
    `${f.suspensions} suspensions, ${f.calls} tool calls; suspend + all resumes ${ms(total)} ms against ${ms(f.plainMs)} ms for the plain run; largest continuation ${kb(Math.max(...f.continuationBytes))} KiB.`,
    "",
  ].join("\n");
  return { name: "suspend-resume", data: f, markdown, charts: [], table };
}

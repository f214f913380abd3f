import { type AuditRecord, createGovernance, MemoryAuditSink } from "@toolpacks/runtime";
import { callRecorder, type RecordedCall } from "../codemode/recorder.js";
import { runProgram } from "../codemode/run-program.js";
import { openCodeModeSession, renderInlineExecute } from "../codemode/session.js";
import { type ClassicCost, replayClassic } from "../economics/classic-replay.js";
import { type CodeModeCost, codeModeCost } from "../economics/code-mode-cost.js";
import { sameAnswer } from "../economics/same-answer.js";
import { orderToCash } from "../economics/tasks/order-to-cash.js";
import type { OrderToCashAnswer } from "../order-to-cash/program.js";
import { type WriteCounts, writeCounts } from "../order-to-cash/world-check.js";
import { DemoError } from "../packs/errors.js";
import { ALL_PACKS, openPackSession } from "../packs/session.js";
import { buildWorldFile } from "../packs/world-file.js";
import type { Progress } from "../progress/progress.js";
import { DEMO_POLICY, DEMO_PRINCIPAL, DEMO_ROLE } from "./policy.js";

/** Options of one demo run. */
export interface DemoOptions {
  scale: number;
  seed: number;
  progress: Progress;
}

/** A re-run of the program and what it changed in the store. */
export interface Rerun {
  runId: string;
  writes: number;
  /** Writes the packs answered from their idempotency records. */
  replayed: number;
  /** Writes the packs answered with "already done" (created: false, already_invoiced, changed: false). */
  unchanged: number;
  /** Rows added to the order-to-cash tables (0 = no duplicates). */
  newRows: number;
}

/** Everything the demo measured, for the account it prints. */
export interface DemoRun {
  scale: number;
  runId: string;
  answer: OrderToCashAnswer;
  calls: RecordedCall[];
  /** Governance's final audit records of the first run: one per call, with its decision and key. */
  audit: AuditRecord[];
  reruns: Rerun[];
  classic: ClassicCost;
  codeMode: CodeModeCost;
  ms: { world: number; codeMode: number; reruns: number; classic: number; total: number };
}

const rowsAdded = (before: WriteCounts, after: WriteCounts) =>
  Object.keys(before).reduce(
    (sum, k) => sum + (after[k as keyof WriteCounts] - before[k as keyof WriteCounts]),
    0,
  );

/**
 * The demo: generates the world, runs examples/order-to-cash.ts in code mode over the four packs
 * (QuickJS, in process, no network), runs it twice more (same run id, then a new one) to show that
 * nothing is written twice, and replays the same task the classic way on an untouched copy of the
 * world to count what one-tool-per-turn calling would have cost.
 */
export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const started = performance.now();
  const worldStep = options.progress.step(
    `Generating the world: CRM, ERP, warehouse and billing, about ${options.scale.toLocaleString("en-US")} rows`,
  );
  const world = await buildWorldFile(ALL_PACKS, { scale: options.scale, seed: options.seed });
  const worldMs = worldStep.done();
  try {
    const recorder = callRecorder();
    const sink = new MemoryAuditSink();
    const governance = createGovernance({
      policy: DEMO_POLICY,
      role: DEMO_ROLE,
      principal: DEMO_PRINCIPAL,
      audit: sink,
      tracer: false,
    });
    // Governance first (policy, budgets, idempotency keys, audit), then the recorder, which sees
    // the keys governance attached and only the calls it let through.
    const session = await openCodeModeSession(ALL_PACKS, {
      db: await world.fork("code-mode"),
      middleware: [governance.middleware, recorder.middleware],
      preflight: governance.preflight,
    });
    let run: Awaited<ReturnType<typeof runProgram>>;
    let reruns: Rerun[];
    let codeModeMs: number;
    let rerunMs: number;
    let toolDefinitions: string;
    let firstRunCalls = 0;
    let firstRunAudit = 0;
    try {
      const codeStep = options.progress.step(
        "Running examples/order-to-cash.ts in code mode (QuickJS sandbox)",
      );
      run = await runProgram(session, orderToCash.program);
      if (!run.ok) {
        throw new DemoError(
          "program_failed",
          `The order-to-cash program failed: ${run.error?.code} ${run.error?.message}`,
        );
      }
      codeModeMs = codeStep.done(`${run.toolCalls} tool calls`);
      firstRunCalls = recorder.calls.length;
      firstRunAudit = sink.records.length;
      toolDefinitions = await renderInlineExecute(session.codeMode);
      const runId = run.runId;
      await governance.endRun(runId);
      const rerunStep = options.progress.step("Running it again: same run id, then a new run id");
      reruns = [];
      for (const id of [runId, `${runId}-again`]) {
        const before = await writeCounts(session.opened.store);
        const from = recorder.calls.length;
        const again = await session.codeMode.execute(orderToCash.program, { runId: id });
        if (!again.ok) throw new DemoError("program_failed", `The re-run failed: ${again.error?.message}`);
        await governance.endRun(id);
        const writes = recorder.calls.slice(from).filter((c) => c.kind === "write");
        reruns.push({
          runId: id,
          writes: writes.length,
          replayed: writes.filter((c) => c.replayed).length,
          unchanged: writes.filter(
            (c) =>
              c.structured?.created === false ||
              c.structured?.already_invoiced === true ||
              c.structured?.changed === false,
          ).length,
          newRows: rowsAdded(before, await writeCounts(session.opened.store)),
        });
      }
      rerunMs = rerunStep.done();
    } finally {
      await session.close();
    }
    const firstRun = recorder.calls.slice(0, firstRunCalls);
    // The final record of each call (its intent was written, and synced, before it was sent).
    const audit = sink.records.slice(0, firstRunAudit).filter((r) => r.phase === "outcome");

    const classicStep = options.progress.step(
      "Replaying the same task with classic tool calling (one tool per turn)",
    );
    const classicSession = await openPackSession(ALL_PACKS, { db: await world.fork("classic") });
    let classic: ClassicCost;
    try {
      classic = await replayClassic(orderToCash, classicSession);
    } finally {
      await classicSession.close();
    }
    const classicMs = classicStep.done(`${classic.roundTrips} model round-trips`);
    if (!sameAnswer(classic.answer, run.value)) {
      throw new DemoError(
        "answers_differ",
        "Classic calling and code mode answered order to cash differently.",
      );
    }
    return {
      scale: options.scale,
      runId: firstRun[0]?.runId ?? "",
      answer: run.value as OrderToCashAnswer,
      calls: firstRun,
      audit,
      reruns,
      classic,
      codeMode: codeModeCost({
        toolDefinitions,
        prompt: orderToCash.prompt,
        program: orderToCash.program,
        result: run.text,
        toolCalls: run.toolCalls,
      }),
      ms: {
        world: worldMs,
        codeMode: codeModeMs,
        reruns: rerunMs,
        classic: classicMs,
        total: performance.now() - started,
      },
    };
  } finally {
    await world.remove();
  }
}

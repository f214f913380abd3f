import { runInCodeMode } from "../codemode/runner.js";
import { deploymentCost } from "../economics/deployment.js";
import {
  deploymentTable,
  type EconomicsResult,
  economicsReport,
  economicsTable,
  footprintTable,
  searchTable,
  summarizeEconomics,
} from "../economics/economics-report.js";
import { measureFootprint } from "../economics/footprint.js";
import { runSuite } from "../economics/run-suite.js";
import type { EconomicsTask } from "../economics/task.js";
import { buildWorldFile } from "../packs/world-file.js";
import type { Progress } from "../progress/progress.js";
import { textTable } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";
import { TOKENIZER } from "../tokens/tokenizer.js";

/** Options of the token-economics part. */
export interface TokensPartOptions {
  tasks: readonly EconomicsTask[];
  /**
   * Packs whose prompt footprint is measured (all of them, normally). With the tasks' own packs,
   * they make the deployment the whole-deployment figures offer both modes.
   */
  footprintPacks: readonly string[];
  scale: number;
  seed: number;
  progress: Progress;
  command: string;
}

/** Runs the token-economics part: the suite both ways, the footprint, the table and the report. */
export async function runTokensPart(
  options: TokensPartOptions,
): Promise<{ result: EconomicsResult; table: string; report: ReportPart }> {
  const packs = [...new Set([...options.footprintPacks, ...options.tasks.flatMap((t) => t.packs)])];
  const build = options.progress.step(
    `world of ${options.scale.toLocaleString("en-US")} rows for ${packs.join(", ")}`,
  );
  const world = await buildWorldFile(packs, { scale: options.scale, seed: options.seed });
  build.done();
  try {
    const tasks = await runSuite(options.tasks, world, runInCodeMode, options.progress);
    // The deployment is every pack the part touched, so each task's packs are in it.
    const footprint = await measureFootprint(packs, await world.fork("footprint"));
    const deployment = tasks.map((t) => ({ id: t.id, ...deploymentCost(t, footprint) }));
    const result: EconomicsResult = {
      tokenizer: TOKENIZER,
      scale: options.scale,
      seed: options.seed,
      tasks,
      footprint,
      deployment,
      summary: summarizeEconomics(tasks, deployment),
    };
    const table = [
      economicsTable(tasks),
      searchTable(tasks),
      deploymentTable(deployment),
      footprintTable(footprint),
    ]
      .map(textTable)
      .join("\n\n");
    return { result, table, report: economicsReport(result, options.command) };
  } finally {
    await world.remove();
  }
}

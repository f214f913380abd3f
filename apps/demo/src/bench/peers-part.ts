// The peers part of `pnpm bench`: Toolpacks against other code-mode projects, measured by the
// private @toolpacks/bench-peers package (its devDependencies are the peers) and reported here.
import { type AdapterId, DEFAULT_PERF, type PeersResult, runPeersBench } from "@toolpacks/bench-peers";
import type { Progress } from "../progress/progress.js";
import type { Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";
import {
  answersTable,
  costTable,
  peersReport,
  projectVersions,
  promptTable,
  ratioTable,
  safetyTable,
} from "./peers-report.js";

export interface PeersPartOptions {
  progress: Progress;
  command: string;
  /** Only these projects (default all). */
  adapters?: readonly AdapterId[];
  /** World size of the pack-answers tables (`--scale`); default 10,000. */
  answersScale?: number;
}

/** Runs the comparison and turns it into tables and a report. */
export async function runPeersPart(
  options: PeersPartOptions,
): Promise<{ result: PeersResult; tables: Table[]; report: ReportPart }> {
  const result = await runPeersBench({
    perf: DEFAULT_PERF,
    memoryRuns: 20,
    progress: options.progress,
    ...(options.adapters ? { adapters: options.adapters } : {}),
    ...(options.answersScale === undefined ? {} : { answersScale: options.answersScale }),
  });
  const tables = [costTable(result.cost), ratioTable(result.cost), safetyTable(result.safety)];
  if (!("error" in result.prompt)) tables.push(promptTable(result.prompt, projectVersions(result)));
  if (!("error" in result.answers)) tables.push(answersTable(result.answers));
  return { result, tables, report: peersReport(result, options.command) };
}

// `pnpm bench`: token economics, sandbox overhead and pack answers at scale, each printed as a
// table and written as JSON, Markdown and SVG under bench/results/. Timing never fails the run.
import { writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { TASKS } from "../economics/tasks/index.js";
import { DemoError } from "../packs/errors.js";
import { ALL_PACKS } from "../packs/session.js";
import { createProgress } from "../progress/progress.js";
import { textTable } from "../report/table.js";
import { writeReport } from "../report/write-report.js";
import { BENCH_USAGE, parseBenchArgs } from "./args.js";
import { DEFAULT_RESULTS_DIR, REPO_ROOT } from "./repo-paths.js";
import { resultsIndex } from "./results-index.js";
import { runSandboxPart } from "./sandbox-part.js";
import { runScaleBench } from "./scale.js";
import { scaleReport, scaleTable } from "./scale-report.js";
import { runTokensPart } from "./tokens-part.js";

async function main(argv: string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  if (args.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const out = args.out ?? DEFAULT_RESULTS_DIR;
  const command = `pnpm bench${argv.length ? ` ${argv.filter((a) => a !== "--").join(" ")}` : ""}`;
  const progress = createProgress(process.stdout);
  const headlines: string[] = [];
  const print = (title: string, table: string) => process.stdout.write(`\n${title}\n\n${table}\n\n`);

  if (args.parts.includes("tokens")) {
    const { result, table, report } = await runTokensPart({
      tasks: TASKS,
      footprintPacks: [...ALL_PACKS],
      scale: args.scale,
      seed: 1,
      progress,
      command,
    });
    print("Token economics (o200k_base tokens; classic one-tool-per-turn vs code mode)", table);
    await writeReport(out, report);
    const s = result.summary;
    headlines.push(
      `- Token economics: median reduction ${(s.medianReduction * 100).toFixed(1)}% over ${s.tasks} tasks (lowest ${(s.minReduction * 100).toFixed(1)}%), ${s.maxCodeModeRoundTrips} model round-trip per task in code mode; declarations of all four packs ${result.footprint.allDeclarations.toLocaleString("en-US")} tokens, search-mode footprint ${result.footprint.searchMode.toLocaleString("en-US")}. [report](token-economics.md)`,
    );
  }
  if (args.parts.includes("sandbox")) {
    const { rows, table, report } = await runSandboxPart({ runs: 500, calls: 2000, progress, command });
    print("Sandbox overhead", textTable(table));
    await writeReport(out, report);
    const q = rows.find((r) => r.executor === "quickjs");
    if (q) {
      headlines.push(
        `- Sandbox overhead: QuickJS p50 ${q.runP50Ms.toFixed(3)} ms per run (p99 ${q.runP99Ms.toFixed(3)} ms), ${q.callMs.toFixed(4)} ms per tool call, ${q.runsPerSecond.toLocaleString("en-US")} runs/s. [report](sandbox-overhead.md)`,
      );
    }
  }
  if (args.parts.includes("scale")) {
    const result = await runScaleBench({
      sizes: args.sizes,
      packs: [...ALL_PACKS],
      iterations: args.iterations,
      progress,
    });
    print("Pack answers at scale (p50 / p99 per read tool)", textTable(scaleTable(result)));
    await writeReport(out, scaleReport(result, command));
    const largest = result.sizes.at(-1) ?? 0;
    const worst = result.tools
      .map((t) => ({ tool: `${t.pack}.${t.tool}`, p50: t.bySize[largest]?.p50 ?? Number.NaN }))
      .sort((a, b) => b.p50 - a.p50)[0];
    if (worst) {
      headlines.push(
        `- Pack answers at scale: slowest read tool at ${largest.toLocaleString("en-US")} rows is ${worst.tool}, p50 ${worst.p50.toFixed(1)} ms. [report](pack-scale.md)`,
      );
    }
  }
  if (args.parts.length === 3) {
    await writeFile(join(out, "README.md"), resultsIndex(command, headlines));
  }
  const shown = relative(REPO_ROOT, out);
  process.stdout.write(`Reports written to ${shown && !shown.startsWith("..") ? shown : out}/\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DemoError && error.code === "usage") {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `pnpm bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

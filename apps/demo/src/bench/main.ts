// `pnpm bench`: token economics, sandbox overhead, governed-write overhead and pack answers at
// scale, each printed as a table and written as JSON, Markdown and SVG under bench/results/. Timing never fails the run.
import { writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { economicsTable } from "../economics/economics-report.js";
import { TASKS } from "../economics/tasks/index.js";
import { DemoError } from "../packs/errors.js";
import { ALL_PACKS } from "../packs/session.js";
import { createProgress } from "../progress/progress.js";
import { formatInt, formatMs, formatPercent, markdownTable, textTable } from "../report/table.js";
import { writeReport } from "../report/write-report.js";
import { BENCH_PARTS, BENCH_USAGE, parseBenchArgs } from "./args.js";
import { governedWriteFigure, runGovernancePart } from "./governance-part.js";
import { importReport, importTable, runImportBench } from "./import-part.js";
import { runLoadPart } from "./load-part.js";
import { runOdooSyncPart } from "./odoo-sync-part.js";
import { runPeersPart } from "./peers-part.js";
import { DEFAULT_RESULTS_DIR, REPO_ROOT } from "./repo-paths.js";
import { type IndexSection, resultsIndex } from "./results-index.js";
import { runSandboxPart } from "./sandbox-part.js";
import { runScaleBench } from "./scale.js";
import { P50_TARGET_MS, scaleReport, scaleTable, sideBySideTable, targetVerdicts } from "./scale-report.js";
import { runShopifySyncPart } from "./shopify-sync-part.js";
import { benchSuspendResume, suspendResumeReport } from "./suspend-resume.js";
import { runSyncPart } from "./sync-part.js";
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
  const sections: IndexSection[] = [];
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
    const f = result.footprint;
    sections.push({
      title: "Token economics",
      report: "token-economics.md",
      figures: [
        {
          what: `median token reduction over ${s.tasks} tasks, each offered only its own packs`,
          measured: formatPercent(s.medianReduction),
          target: ">= 97%",
          met: s.medianReduction >= 0.97,
        },
        {
          what: `median token reduction, whole deployment (${f.packs.length} packs offered in both modes)`,
          measured: formatPercent(s.deploymentMedianReduction),
          target: ">= 97%",
          met: s.deploymentMedianReduction >= 0.97,
        },
        {
          what: "median token reduction, search-based discovery (2 round-trips): own packs / whole deployment",
          measured: `${formatPercent(s.medianSearchReduction)} / ${formatPercent(s.deploymentMedianSearchReduction)}`,
        },
        {
          what: "model round-trips per task in code mode (max)",
          measured: String(s.maxCodeModeRoundTrips),
          target: "1",
          met: s.maxCodeModeRoundTrips === 1,
        },
        {
          what: "declarations of all four packs (tokens)",
          measured: formatInt(f.allDeclarations),
          target: "<= 6,000",
          met: f.allDeclarations <= 6_000,
        },
        {
          what: "search-mode footprint (tokens)",
          measured: formatInt(f.searchMode),
          target: "<= 1,000",
          met: f.searchMode <= 1_000,
        },
        {
          what: "answers identical in both modes",
          measured: `${result.tasks.filter((t) => t.sameAnswer).length} of ${s.tasks}`,
        },
      ],
      table: markdownTable(economicsTable(result.tasks)),
    });
  }
  if (args.parts.includes("sandbox")) {
    const { rows, table, report } = await runSandboxPart({ runs: 500, calls: 2000, progress, command });
    print("Sandbox overhead", textTable(table));
    await writeReport(out, report);
    const q = rows.find((r) => r.executor === "quickjs");
    sections.push({
      title: "Sandbox overhead",
      report: "sandbox-overhead.md",
      figures: q
        ? [
            {
              what: "QuickJS p50 per run",
              measured: formatMs(q.runP50Ms),
              target: "<= 1 ms",
              met: q.runP50Ms <= 1,
            },
            { what: "QuickJS p99 per run", measured: formatMs(q.runP99Ms) },
            { what: "QuickJS cost per tool call", measured: formatMs(q.callMs) },
            { what: "QuickJS runs per second (one thread)", measured: formatInt(q.runsPerSecond) },
          ]
        : [],
      table: markdownTable(table),
    });
  }
  if (args.parts.includes("governance")) {
    const { rows, table, report } = await runGovernancePart({ calls: 2000, progress, command });
    print("Governed-write overhead (write-ahead audit, canonical call)", textTable(table));
    await writeReport(out, report);
    const memory = governedWriteFigure(rows);
    const file = rows.find((r) => r.setup.endsWith("(fdatasync)"));
    sections.push({
      title: "Governed-write overhead",
      report: "governed-write-overhead.md",
      figures: [
        ...(memory
          ? [
              { what: "governed write p50 (write-ahead audit in memory)", measured: formatMs(memory.p50Ms) },
              { what: "governed write p99 (write-ahead audit in memory)", measured: formatMs(memory.p99Ms) },
            ]
          : []),
        ...(file
          ? [{ what: "governed write p50 (JSONL audit file, two syncs)", measured: formatMs(file.p50Ms) }]
          : []),
      ],
      table: markdownTable(table),
    });
    const step = progress.step("suspend and resume of the order-to-cash run");
    const durable = await benchSuspendResume({ scale: 1_000, seed: 1 });
    step.done();
    const suspended = suspendResumeReport(durable, command);
    print("Durable runs: suspend and resume (order to cash)", textTable(suspended.table));
    await writeReport(out, suspended);
    sections.push({
      title: "Durable runs: suspend and resume",
      report: "suspend-resume.md",
      figures: [
        { what: "order to cash: execute until the first suspension", measured: formatMs(durable.suspendMs) },
        {
          what: `order to cash: ${durable.resumeMs.length} resumes to the end`,
          measured: formatMs(durable.resumeMs.reduce((a, b) => a + b, 0)),
        },
        {
          what: "order to cash: largest continuation",
          measured: `${(Math.max(...durable.continuationBytes) / 1024).toFixed(1)} KiB`,
        },
      ],
      table: markdownTable(suspended.table),
    });
  }
  if (args.parts.includes("scale")) {
    const result = await runScaleBench({
      sizes: args.sizes,
      packs: args.packs,
      stores: args.stores,
      iterations: args.iterations,
      ...(args.postgres ? { postgresUrl: args.postgres } : {}),
      ...(args.keepWorlds ? { keepWorlds: args.keepWorlds } : {}),
      progress,
    });
    for (const store of result.stores) {
      if (store.skipped) continue;
      print(
        `Pack answers at scale on ${store.store} (p50 / p99 per read tool)`,
        textTable(scaleTable(result, store.store)),
      );
    }
    await writeReport(out, scaleReport(result, command));
    const largest = result.sizes.at(-1) ?? 0;
    sections.push({
      title: "Pack answers at scale",
      report: "pack-scale.md",
      figures: targetVerdicts(result).flatMap((v) =>
        v.slowest
          ? [
              {
                what: `${v.store}: slowest read tool p50 at ${formatInt(largest)} rows (${v.slowest.tool})`,
                measured: formatMs(v.slowest.p50),
                target: `<= ${P50_TARGET_MS} ms at 10^7`,
                met: v.slowest.p50 <= P50_TARGET_MS,
              },
            ]
          : [],
      ),
      table: markdownTable(
        result.stores.filter((s) => !s.skipped).length > 1 ? sideBySideTable(result) : scaleTable(result),
      ),
    });
  }
  if (args.parts.includes("import")) {
    const result = await runImportBench({
      rows: args.importRows,
      stores: args.stores,
      ...(args.postgres ? { postgresUrl: args.postgres } : {}),
      progress,
    });
    print(`Import throughput (${formatInt(result.rows)}-row HubSpot export)`, textTable(importTable(result)));
    await writeReport(out, importReport(result, command));
    sections.push({
      title: "Import throughput",
      report: "import-throughput.md",
      figures: result.figures.flatMap((f) =>
        f.skipped
          ? []
          : [
              {
                what: `${f.store}: ${formatInt(result.rows)}-row export, rows per second`,
                measured: formatInt(f.rowsPerSecond),
              },
            ],
      ),
      table: markdownTable(importTable(result)),
    });
  }
  if (args.parts.includes("load")) {
    const { result, table, report } = await runLoadPart({ seconds: args.loadSeconds, progress, command });
    print("The HTTP gateway under load (200 clients on 127.0.0.1)", textTable(table));
    await writeReport(out, report);
    const [alone, mixed] = result.phases;
    const rss = result.rssSummary;
    sections.push({
      title: "The HTTP gateway under load",
      report: "gateway-load.md",
      figures:
        alone && mixed
          ? [
              {
                what: `benign p50 / p99, ${alone.clients.benign} benign clients alone (${alone.executor})`,
                measured: `${formatMs(alone.benign.p50)} / ${formatMs(alone.benign.p99)}`,
              },
              {
                what: "benign p50 / p99 among 200 clients with spinners, hogs and large answers",
                measured: `${formatMs(mixed.benign.p50)} / ${formatMs(mixed.benign.p99)}`,
              },
              {
                what: "gateway RSS, first vs last third of the mixed phase",
                measured: `${rss.mixedFirstThirdMiB.toFixed(0)} / ${rss.mixedLastThirdMiB.toFixed(0)} MiB`,
              },
            ]
          : [],
      table: markdownTable(table),
    });
  }
  if (args.parts.includes("sync")) {
    const { result, hubspot, table, report } = await runSyncPart({
      customers: 2_000,
      changes: 500,
      progress,
      command,
    });
    print("API sync throughput (Stripe, local fake)", textTable(table));
    await writeReport(out, report);
    sections.push({
      title: "API sync (Stripe, local fake)",
      report: "api-sync.md",
      figures: [
        {
          what: "first load, Stripe objects per second",
          measured: formatInt(result.firstLoad.objectsPerSecond),
        },
        {
          what: "incremental (Events API), objects per second",
          measured: formatInt(result.incremental.objectsPerSecond),
        },
        {
          what: "HubSpot first load, rows per second",
          measured: formatInt(hubspot.firstLoad.rowsPerSecond),
        },
        {
          what: "HubSpot incremental (search API), rows per second",
          measured: formatInt(hubspot.incremental.rowsPerSecond),
        },
      ],
      table: markdownTable(table),
    });
    const odoo = await runOdooSyncPart({ orders: 2_000, changes: 500, progress, command });
    print("API sync throughput (Odoo JSON-2, local fake)", textTable(odoo.table));
    await writeReport(out, odoo.report);
    sections.push({
      title: "API sync (Odoo JSON-2, local fake)",
      report: "api-sync-odoo.md",
      figures: [
        { what: "first load, ERP rows per second", measured: formatInt(odoo.result.firstLoad.rowsPerSecond) },
        {
          what: "incremental, ERP rows per second",
          measured: formatInt(odoo.result.incremental.rowsPerSecond),
        },
      ],
      table: markdownTable(odoo.table),
    });
  }
  if (args.parts.includes("sync")) {
    const { result, table, report } = await runShopifySyncPart({
      variants: 3_000,
      locations: 3,
      changes: 500,
      progress,
      command,
    });
    print("API sync throughput (Shopify, local fake)", textTable(table));
    await writeReport(out, report);
    sections.push({
      title: "API sync (Shopify, local fake)",
      report: "api-sync-shopify.md",
      figures: [
        {
          what: "first load (bulk operation), Shopify records per second",
          measured: formatInt(result.firstLoad.objectsPerSecond),
        },
        {
          what: "incremental (updated_at queries), records per second",
          measured: formatInt(result.incremental.objectsPerSecond),
        },
      ],
      table: markdownTable(table),
    });
  }
  if (args.parts.includes("peers")) {
    const { result, tables, report } = await runPeersPart({ progress, command, answersScale: args.scale });
    print(
      "Toolpacks against peer code-mode projects (sandbox cost, ratios, hostile suite, prompt size)",
      tables.map(textTable).join("\n\n"),
    );
    await writeReport(out, report);
    const worst = result.safety.filter((r) => r.counts.escaped + r.counts.hung + r.counts.crashed > 0);
    const ours = result.prompt && !("error" in result.prompt) ? result.prompt.rows : [];
    sections.push({
      title: "Toolpacks against peer code-mode projects",
      report: "peers.md",
      figures: [
        ...result.cost
          .filter((r) => r.figures?.runP50Ms !== undefined)
          .map((r) => ({
            what: `${r.id} per-run p50 / runs per second`,
            measured: `${formatMs(r.figures?.runP50Ms ?? Number.NaN)} / ${r.figures?.runsPerSecond === undefined ? "failed" : formatInt(r.figures.runsPerSecond)}`,
          })),
        {
          what: "projects with a hostile program that escaped, hung past its timeout or took the host down",
          measured: worst.length ? worst.map((r) => r.id).join(", ") : "none",
        },
        ...ours.map((r) => ({
          what: `prompt tokens of the four packs: ${r.id}`,
          measured: Number.isFinite(r.tokens) ? formatInt(r.tokens) : "failed",
        })),
        ...("error" in result.answers ? [] : result.answers.rows).map((r) => ({
          what: `tokens, pack answer vs raw ${r.api} objects: ${r.question}`,
          measured: `${formatInt(r.packTokens)} vs ${formatInt(r.rawTokens)} (${Math.round(r.ratio)}×)`,
        })),
      ],
      table: markdownTable(tables[1] ?? tables[0] ?? { header: [], rows: [] }),
    });
  }
  if (args.parts.length === BENCH_PARTS.length) {
    await writeFile(join(out, "README.md"), resultsIndex(command, sections));
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

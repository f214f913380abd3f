import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pack as crm } from "@toolpacks/crm";
import { importIntoSqlite } from "@toolpacks/pack-kit/node";
import type { Progress } from "../progress/progress.js";
import { formatInt, formatMs, markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";
import { hubSpotShape, writeHubSpotExport } from "./hubspot-export.js";
import { openWorldPlaces, type ScaleStore } from "./scale-worlds.js";

/** One store's import of the export. */
export interface ImportFigure {
  store: ScaleStore;
  /** Why the store was not measured; absent when it was. */
  skipped?: string;
  /** Rows the import reported inserted into the pack's tables (owners it derives included). */
  inserted: number;
  rejected: number;
  ms: number;
  /** Export rows read, mapped and written per second. */
  rowsPerSecond: number;
}

/** Results of the import part. */
export interface ImportBenchResult {
  rows: number;
  exportBytes: number;
  figures: ImportFigure[];
}

/**
 * Times `toolpacks-crm import hubspot` (the same function the command runs) of a `rows`-row
 * HubSpot export (companies, deals, line items) into an empty SQLite file and an empty Postgres
 * database: parse, map, migrate and write in one transaction. One run per store; the export is
 * written once beforehand and not timed.
 */
export async function runImportBench(options: {
  rows: number;
  stores: ScaleStore[];
  postgresUrl?: string;
  progress: Progress;
}): Promise<ImportBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), "toolpacks-import-bench-"));
  const places = await openWorldPlaces({
    stores: options.stores,
    ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
  });
  try {
    const writing = options.progress.step(`a HubSpot export of ${formatInt(options.rows)} rows`);
    const files = await writeHubSpotExport(dir, hubSpotShape(options.rows));
    let exportBytes = 0;
    for (const file of files) exportBytes += (await stat(file)).size;
    writing.done(`${(exportBytes / 2 ** 20).toFixed(0)} MiB`);
    const figures: ImportFigure[] = [];
    for (const store of options.stores) {
      const skipped = places.unavailable(store);
      if (skipped) {
        figures.push({ store, skipped, inserted: 0, rejected: 0, ms: Number.NaN, rowsPerSecond: Number.NaN });
        continue;
      }
      // A fresh, empty store per run: the size is only a name here, no world is built in it.
      const place = await places.place(store, options.rows, 0);
      try {
        const step = options.progress.step(`${store}: import`);
        const start = performance.now();
        const report = await importIntoSqlite(crm, {
          help: false,
          format: "hubspot",
          files,
          db: place.buildDb,
          mapping: undefined,
          dryRun: false,
          asOf: "2026-06-30",
          keepMissing: false,
        });
        const ms = performance.now() - start;
        const rowsPerSecond = (options.rows / ms) * 1000;
        figures.push({ store, inserted: report.inserted, rejected: report.rejected, ms, rowsPerSecond });
        step.done(`${formatInt(report.inserted)} rows inserted, ${formatInt(rowsPerSecond)} export rows/s`);
      } finally {
        await place.built();
        await place.release();
      }
    }
    return { rows: options.rows, exportBytes, figures };
  } finally {
    await places.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const STORE_NAMES: Record<ScaleStore, string> = { sqlite: "SQLite", postgres: "Postgres" };

/** Rows, time and rows per second per store. */
export function importTable(result: ImportBenchResult): Table {
  return {
    header: ["store", "rows inserted", "rejected", "time", "export rows/s"],
    rows: result.figures.map((f) =>
      f.skipped
        ? [STORE_NAMES[f.store], "n/a", "n/a", "n/a", `not measured: ${f.skipped}`]
        : [
            STORE_NAMES[f.store],
            formatInt(f.inserted),
            formatInt(f.rejected),
            formatMs(f.ms),
            formatInt(f.rowsPerSecond),
          ],
    ),
    numeric: [1, 2, 3, 4],
  };
}

/** Markdown and data of the import part. */
export function importReport(result: ImportBenchResult, command: string): ReportPart {
  return {
    name: "import-throughput",
    data: result,
    markdown: [
      "# Import throughput",
      "",
      `Command: \`${command}\`. \`toolpacks-crm import hubspot\` of a ${formatInt(result.rows)}-row HubSpot export`,
      `(companies, deals and line items as HubSpot's export writes them, ${(result.exportBytes / 2 ** 20).toFixed(0)} MiB of CSV) into an`,
      "empty store: read, parse, map, migrate and write every row in one transaction. One run per store.",
      "",
      markdownTable(importTable(result)),
      "",
    ].join("\n"),
    charts: [],
  };
}

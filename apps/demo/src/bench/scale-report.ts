import { formatInt, formatMs, markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";
import type { ScaleBenchResult } from "./scale.js";

const sizeLabel = (n: number) =>
  n >= 1000 && Math.log10(n) % 1 === 0 ? `10^${Math.log10(n)}` : formatInt(n);

/** The per-tool latency table: p50 / p99 per world size and the growth exponent. */
export function scaleTable(result: ScaleBenchResult): Table {
  return {
    header: ["tool", ...result.sizes.map((s) => `${sizeLabel(s)} p50 / p99`), "growth"],
    rows: result.tools.map((t) => [
      `${t.pack}.${t.tool}`,
      ...result.sizes.map((s) => {
        const l = t.bySize[s];
        if (!l) return "n/a";
        return `${formatMs(l.p50)} / ${formatMs(l.p99)}${l.errors ? ` (${l.errors} err)` : ""}`;
      }),
      Number.isFinite(t.growth) ? t.growth.toFixed(2) : "n/a",
    ]),
    numeric: result.sizes.map((_, i) => i + 1).concat(result.sizes.length + 1),
  };
}

/** Markdown, data and charts of the scale benchmark. */
export function scaleReport(result: ScaleBenchResult, command: string): ReportPart {
  const largest = result.sizes.at(-1) ?? 0;
  const p50s = result.tools.map((t) => t.bySize[largest]?.p50 ?? Number.NaN).filter(Number.isFinite);
  const slowest = Math.max(...p50s);
  const markdown = [
    "# Pack answers at scale",
    "",
    `Command: \`${command}\`. Each read tool is called through its MCP server (in-process transport) with`,
    "its own examples, after one warm-up call per example; worlds are built into temporary SQLite files.",
    "Growth is the slope of log(p50) over log(rows): 0 means flat, 1 means linear in the data.",
    "",
    markdownTable(scaleTable(result)),
    "",
    `World build (generate + migrate + insert): ${result.sizes.map((s) => `${sizeLabel(s)} ${formatMs(result.buildMs[s] ?? Number.NaN)}`).join(", ")}.`,
    "",
    `Slowest read tool p50 at ${sizeLabel(largest)} rows: ${formatMs(slowest)} (target: <= 20 ms at 10^6).`,
    "",
  ].join("\n");
  return {
    name: "pack-scale",
    data: result,
    markdown,
    charts: [
      {
        id: "p50",
        chart: {
          title: "Read tool p50 latency by world size",
          unit: "ms",
          log: true,
          categories: result.tools.map((t) => `${t.pack}.${t.tool}`),
          series: result.sizes.map((s) => ({
            name: `${sizeLabel(s)} rows`,
            values: result.tools.map((t) => t.bySize[s]?.p50 ?? Number.NaN),
          })),
        },
      },
    ],
  };
}

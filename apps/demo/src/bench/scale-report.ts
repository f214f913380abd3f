import { formatInt, formatMs, markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";
import type { ScaleBenchResult } from "./scale.js";
import type { ScaleStore } from "./scale-worlds.js";

const sizeLabel = (n: number) =>
  n >= 1000 && Math.log10(n) % 1 === 0 ? `10^${Math.log10(n)}` : formatInt(n);

const STORE_NAMES: Record<ScaleStore, string> = { sqlite: "SQLite", postgres: "Postgres" };

/** The issue's target: every read tool's p50 at the largest size, per store. */
export const P50_TARGET_MS = 20;
/** The issue's target for the hot answers: growth exponent between the two largest sizes. */
export const GROWTH_TARGET = 0.3;
/** The hot answers the growth target applies to (pipeline, AR aging, MRR, stock valuation, low stock). */
export const HOT_ANSWERS = [
  "crm.pipeline_summary",
  "billing.ar_aging",
  "billing.mrr_summary",
  "warehouse.inventory_valuation",
  "warehouse.low_stock",
] as const;

const measuredStores = (result: ScaleBenchResult) =>
  result.stores.filter((s) => !s.skipped).map((s) => s.store);

const growthHeader = (result: ScaleBenchResult) => {
  const [a, b] = result.sizes.slice(-2);
  return a !== undefined && b !== undefined ? `growth ${sizeLabel(a)}→${sizeLabel(b)}` : "growth";
};

/** One store's table: p50 / p99 per world size and the growth exponent between the two largest. */
export function scaleTable(result: ScaleBenchResult, store: ScaleStore = "sqlite"): Table {
  return {
    header: ["tool", ...result.sizes.map((s) => `${sizeLabel(s)} p50 / p99`), growthHeader(result)],
    rows: result.tools.map((t) => {
      const on = t.byStore[store];
      return [
        `${t.pack}.${t.tool}`,
        ...result.sizes.map((s) => {
          const l = on?.bySize[s];
          if (!l) return "n/a";
          return `${formatMs(l.p50)} / ${formatMs(l.p99)}${l.errors ? ` (${l.errors} err)` : ""}`;
        }),
        on && Number.isFinite(on.growth) ? on.growth.toFixed(2) : "n/a",
      ];
    }),
    numeric: result.sizes.map((_, i) => i + 1).concat(result.sizes.length + 1),
  };
}

/** Every measured store side by side at the largest size: p50 / p99 and growth per store. */
export function sideBySideTable(result: ScaleBenchResult): Table {
  const largest = result.sizes.at(-1) ?? 0;
  const stores = measuredStores(result);
  return {
    header: [
      "tool",
      ...stores.flatMap((s) => [
        `${STORE_NAMES[s]} ${sizeLabel(largest)} p50 / p99`,
        `${STORE_NAMES[s]} growth`,
      ]),
    ],
    rows: result.tools.map((t) => [
      `${t.pack}.${t.tool}`,
      ...stores.flatMap((s) => {
        const on = t.byStore[s];
        const l = on?.bySize[largest];
        return [
          l ? `${formatMs(l.p50)} / ${formatMs(l.p99)}` : "n/a",
          on && Number.isFinite(on.growth) ? on.growth.toFixed(2) : "n/a",
        ];
      }),
    ]),
    numeric: stores.flatMap((_, i) => [1 + 2 * i, 2 + 2 * i]),
  };
}

/** What the run says of the issue's two targets, per store: tools over them, by name. */
export interface TargetVerdict {
  store: ScaleStore;
  slowest: { tool: string; p50: number } | undefined;
  overP50: string[];
  /** Hot answers whose growth is over the target. */
  overGrowth: string[];
}

export function targetVerdicts(result: ScaleBenchResult): TargetVerdict[] {
  const largest = result.sizes.at(-1) ?? 0;
  return measuredStores(result).map((store) => {
    const at = result.tools.flatMap((t) => {
      const p50 = t.byStore[store]?.bySize[largest]?.p50;
      return p50 === undefined
        ? []
        : [{ tool: `${t.pack}.${t.tool}`, p50, growth: t.byStore[store]?.growth }];
    });
    const slowest = [...at].sort((a, b) => b.p50 - a.p50)[0];
    return {
      store,
      slowest: slowest ? { tool: slowest.tool, p50: slowest.p50 } : undefined,
      overP50: at.filter((t) => t.p50 > P50_TARGET_MS).map((t) => t.tool),
      overGrowth: at
        .filter((t) => (HOT_ANSWERS as readonly string[]).includes(t.tool))
        .filter((t) => t.growth !== undefined && Number.isFinite(t.growth) && t.growth > GROWTH_TARGET)
        .map((t) => t.tool),
    };
  });
}

function buildLine(result: ScaleBenchResult): string[] {
  return result.stores.map((s) => {
    if (s.skipped) return `- ${STORE_NAMES[s.store]}: not measured (${s.skipped}).`;
    const sizes = result.sizes.map((size) => {
      const build = s.buildMs[size];
      const open = s.openMs[size];
      const made = build === undefined ? "kept world reused" : `built in ${formatMs(build)}`;
      return `${sizeLabel(size)} ${made}${open === undefined ? "" : `, opened in ${formatMs(open)}`}`;
    });
    return `- ${STORE_NAMES[s.store]}: ${sizes.join("; ")}.`;
  });
}

function verdictLines(result: ScaleBenchResult): string[] {
  const largest = sizeLabel(result.sizes.at(-1) ?? 0);
  return targetVerdicts(result).map((v) => {
    const slowest = v.slowest
      ? `slowest p50 ${formatMs(v.slowest.p50)} (${v.slowest.tool})`
      : "no tool measured";
    const p50 =
      v.overP50.length === 0
        ? `every read tool within ${P50_TARGET_MS} ms at ${largest}`
        : `over ${P50_TARGET_MS} ms at ${largest}: ${v.overP50.join(", ")}`;
    const growth =
      v.overGrowth.length === 0
        ? `hot answers' growth within ${GROWTH_TARGET}`
        : `hot answers growing faster than ${GROWTH_TARGET}: ${v.overGrowth.join(", ")}`;
    return `- ${STORE_NAMES[v.store]}: ${slowest}; ${p50}; ${growth}.`;
  });
}

/** Markdown, data and charts of the scale benchmark. */
export function scaleReport(result: ScaleBenchResult, command: string): ReportPart {
  const largest = result.sizes.at(-1) ?? 0;
  const stores = measuredStores(result);
  const markdown = [
    "# Pack answers at scale",
    "",
    `Command: \`${command}\`. Each read tool is called through its MCP server (in-process transport) with`,
    "its own examples, after one warm-up call per example, on one generated world per size (same seed in",
    "every store). Growth is the slope of log(p50) over log(rows) between the two largest sizes: 0 means",
    "flat, 1 means linear in the data.",
    "",
    `Targets (issue 16): every read tool p50 <= ${P50_TARGET_MS} ms at ${sizeLabel(largest)} rows on each store; growth <= ${GROWTH_TARGET}`,
    `for the hot answers (${HOT_ANSWERS.join(", ")}).`,
    "",
    ...verdictLines(result),
    "",
    ...(stores.length > 1
      ? [`## Side by side at ${sizeLabel(largest)} rows`, "", markdownTable(sideBySideTable(result)), ""]
      : []),
    ...stores.flatMap((store) => [
      `## ${STORE_NAMES[store]}`,
      "",
      markdownTable(scaleTable(result, store)),
      "",
    ]),
    "## Worlds",
    "",
    ...buildLine(result),
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
          title: `Read tool p50 latency at ${sizeLabel(largest)} rows by store`,
          unit: "ms",
          log: true,
          categories: result.tools.map((t) => `${t.pack}.${t.tool}`),
          series: stores.map((s) => ({
            name: STORE_NAMES[s],
            values: result.tools.map((t) => t.byStore[s]?.bySize[largest]?.p50 ?? Number.NaN),
          })),
        },
      },
    ],
  };
}

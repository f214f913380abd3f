import type { BarChart } from "../report/bar-chart.js";
import { formatInt, formatPercent, markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";
import type { DeploymentCost } from "./deployment.js";
import type { Footprint } from "./footprint.js";
import type { TaskEconomics } from "./run-suite.js";

/** Everything the token-economics part measured. */
export interface EconomicsResult {
  tokenizer: string;
  scale: number;
  seed: number;
  tasks: TaskEconomics[];
  footprint: Footprint;
  /** The same tasks priced for the whole deployment (every pack of the footprint offered in both modes). */
  deployment: Array<{ id: string } & DeploymentCost>;
  summary: {
    medianReduction: number;
    minReduction: number;
    maxCodeModeRoundTrips: number;
    tasks: number;
    /** Median reduction when the model discovers the tools by search (two round-trips). */
    medianSearchReduction: number;
    /** Searches whose hits missed a tool the program needed, over all tasks. */
    searchMisses: number;
    /** Median reductions when both modes are offered the whole deployment. */
    deploymentMedianReduction: number;
    deploymentMedianSearchReduction: number;
  };
}

/** Median of a list of numbers (NaN when empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Builds the summary figures of a run. */
export function summarizeEconomics(
  tasks: readonly TaskEconomics[],
  deployment: readonly DeploymentCost[],
): EconomicsResult["summary"] {
  return {
    medianReduction: median(tasks.map((t) => t.reduction)),
    minReduction: Math.min(...tasks.map((t) => t.reduction)),
    maxCodeModeRoundTrips: Math.max(...tasks.map((t) => t.codeMode.roundTrips)),
    tasks: tasks.length,
    medianSearchReduction: median(tasks.map((t) => t.searchMode.reduction)),
    searchMisses: tasks.reduce((sum, t) => sum + t.searchMode.misses, 0),
    deploymentMedianReduction: median(deployment.map((d) => d.reduction)),
    deploymentMedianSearchReduction: median(deployment.map((d) => d.searchReduction)),
  };
}

/** The whole-deployment view per task: both modes offered every pack. */
export function deploymentTable(rows: ReadonlyArray<{ id: string } & DeploymentCost>): Table {
  return {
    header: [
      "task",
      "classic tokens",
      "code mode tokens",
      "reduction",
      "search mode tokens",
      "search reduction",
    ],
    rows: rows.map((d) => [
      d.id,
      formatInt(d.classicTokens),
      formatInt(d.codeTokens),
      formatPercent(d.reduction),
      formatInt(d.searchTokens),
      formatPercent(d.searchReduction),
    ]),
    numeric: [1, 2, 3, 4, 5],
  };
}

/** Per-task table: round-trips and tokens both ways, and the reduction. */
export function economicsTable(tasks: readonly TaskEconomics[]): Table {
  return {
    header: [
      "task",
      "packs",
      "kind",
      "classic trips",
      "classic in",
      "classic out",
      "code trips",
      "code in",
      "code out",
      "result",
      "tool calls",
      "reduction",
      "same answer",
    ],
    rows: tasks.map((t) => [
      t.id,
      t.packs.join("+"),
      t.shape.effect,
      formatInt(t.classic.roundTrips),
      formatInt(t.classic.inputTokens),
      formatInt(t.classic.outputTokens),
      formatInt(t.codeMode.roundTrips),
      formatInt(t.codeMode.inputTokens),
      formatInt(t.codeMode.outputTokens),
      formatInt(t.codeMode.resultTokens),
      formatInt(t.codeMode.toolCalls),
      formatPercent(t.reduction),
      t.sameAnswer ? "yes" : "NO",
    ]),
    numeric: [3, 4, 5, 6, 7, 8, 9, 10, 11],
  };
}

/** Search mode per task: two round-trips, the searches made, tokens and reduction. */
export function searchTable(tasks: readonly TaskEconomics[]): Table {
  return {
    header: ["task", "searches", "missed", "trips", "input", "output", "result", "total", "reduction"],
    rows: tasks.map((t) => [
      t.id,
      formatInt(t.searchMode.searches),
      formatInt(t.searchMode.misses),
      formatInt(t.searchMode.roundTrips),
      formatInt(t.searchMode.inputTokens),
      formatInt(t.searchMode.outputTokens),
      formatInt(t.searchMode.resultTokens),
      formatInt(t.searchMode.totalTokens),
      formatPercent(t.searchMode.reduction),
    ]),
    numeric: [1, 2, 3, 4, 5, 6, 7, 8],
  };
}

/** The prompt-footprint table. */
export function footprintTable(f: Footprint): Table {
  return {
    header: ["what the model is sent up front", "tokens"],
    rows: [
      [`declarations of all ${f.tools} tools of ${f.packs.join(", ")}`, formatInt(f.allDeclarations)],
      [
        "search-based discovery (execute + search_tools, declarations fetched on demand)",
        formatInt(f.searchMode),
      ],
      ["classic tool schemas of the same tools (per request)", formatInt(f.classicSchemas)],
    ],
    numeric: [1],
  };
}

function charts(tasks: readonly TaskEconomics[]): Array<{ id: string; chart: BarChart }> {
  return [
    {
      id: "tokens",
      chart: {
        title: "Tokens per task: classic tool calling vs code mode",
        unit: "tokens",
        log: true,
        categories: tasks.map((t) => t.id),
        series: [
          { name: "classic", values: tasks.map((t) => t.classic.totalTokens) },
          { name: "code mode", values: tasks.map((t) => t.codeMode.totalTokens) },
        ],
      },
    },
    {
      id: "round-trips",
      chart: {
        title: "Model round-trips per task",
        unit: "round-trips",
        categories: tasks.map((t) => t.id),
        series: [
          { name: "classic", values: tasks.map((t) => t.classic.roundTrips) },
          { name: "code mode", values: tasks.map((t) => t.codeMode.roundTrips) },
        ],
      },
    },
  ];
}

/** Markdown, data and charts of the token-economics part. */
export function economicsReport(result: EconomicsResult, command: string): ReportPart {
  const s = result.summary;
  const markdown = [
    "# Token economics: classic tool calling vs code mode",
    "",
    `Command: \`${command}\`. World: scale ${formatInt(result.scale)}, seed ${result.seed}. Tokens counted with`,
    `js-tiktoken ${result.tokenizer}. Classic: every tool call is one model round-trip whose input is the`,
    "system prompt, every tool schema of the task's packs, the request and the whole history (each call and",
    "each result as the client appended it), plus a last round-trip for the answer. Code mode: one request",
    "(system prompt, the runtime's `execute` tool with the typed declarations of the same packs inlined, the",
    "request), the program as output, and the exact JSON `execute` returns (result, logs, per-call records,",
    "stats) counted on top. The classic trajectory is the program's own sequence of tool calls, one per",
    "turn. Both modes ran on separate copies of the same world and their answers were compared as canonical",
    "JSON.",
    "",
    markdownTable(economicsTable(result.tasks)),
    "",
    `Median reduction: **${formatPercent(s.medianReduction)}** (lowest ${formatPercent(s.minReduction)}) over ${s.tasks} tasks;`,
    `code mode needed at most ${s.maxCodeModeRoundTrips} model round-trip per task. Target: median >= 97% with 1 round-trip.`,
    "",
    "## Code mode with search-based discovery",
    "",
    "What the runtime's AI SDK and gateway surfaces do when the declarations are too long to inline: the model",
    "gets `execute` (without declarations) and `search_tools`. Request 1: the model searches, once per tool",
    `its program needs (query: the pack and the tool's title, ${"`limit: 3`"}), in one turn; the searches run for real`,
    "against the runtime's search. Request 2: the same context plus the hits' declarations; the model writes the",
    "program. Its result is counted on top. Same classic baseline.",
    "",
    markdownTable(searchTable(result.tasks)),
    "",
    `Median reduction in search mode: **${formatPercent(s.medianSearchReduction)}** with 2 model round-trips per task; ${s.searchMisses} searches missed the tool they looked for.`,
    "",
    `## Whole deployment: ${result.footprint.packs.join(", ")} offered in both modes`,
    "",
    "A deployed agent cannot know which packs a request needs, so it is connected to all of them: classic",
    "calling sends every pack's tool schemas with every request, and code mode's `execute` declares every",
    "pack's tools. Same runs as above; only the tool definitions each request carries change (each figure",
    "is a sum of separately counted parts, so the swap is exact).",
    "",
    markdownTable(deploymentTable(result.deployment)),
    "",
    `Median reduction for the whole deployment: **${formatPercent(s.deploymentMedianReduction)}** in code mode (1 round-trip), **${formatPercent(s.deploymentMedianSearchReduction)}** with search-based discovery (2 round-trips).`,
    "",
    "## Prompt footprint",
    "",
    markdownTable(footprintTable(result.footprint)),
    "",
    `Targets: declarations of all four packs <= 6,000 tokens (measured ${formatInt(result.footprint.allDeclarations)}); search-mode footprint <= 1,000 (measured ${formatInt(result.footprint.searchMode)}).`,
    "Each tool is declared with its input and output types and a one-line summary of its description; the",
    "whole description comes with each search hit.",
    "The runtime's AI SDK and gateway surfaces inline the declarations only up to 24,000 characters and switch",
    "to search-based discovery above that.",
    "",
  ].join("\n");
  return { name: "token-economics", data: result, markdown, charts: charts(result.tasks) };
}

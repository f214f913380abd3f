// Tables, Markdown and charts of the peers part (the measurements live in @toolpacks/bench-peers).
import {
  type AnswerSizes,
  type CostRow,
  LIMIT_KINDS,
  OUR_IDS,
  type PeersResult,
  type PromptSizes,
  type SafetyRow,
} from "@toolpacks/bench-peers";
import { formatInt, markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";

const ms = (n: number | undefined, digits = 2) =>
  n === undefined || !Number.isFinite(n) ? "–" : n.toFixed(digits);
const mib = (bytes: number | undefined) =>
  bytes === undefined || !Number.isFinite(bytes) ? "–" : (bytes / (1024 * 1024)).toFixed(2);
const times = (r: number | undefined) => (r === undefined || !Number.isFinite(r) ? "–" : `${r.toFixed(2)}×`);

const who = (row: { id: string; meta?: { pkg: { name: string; version: string } } }) =>
  row.meta ? `${row.id} (${row.meta.pkg.name}@${row.meta.pkg.version})` : row.id;

/** A cell, or "failed" with the reason where that figure could not be measured. */
function failedOr(
  r: CostRow,
  figure: keyof NonNullable<CostRow["figures"]>["failures"],
  cell: string,
): string {
  const why = r.figures?.failures[figure];
  return why ? `failed (${why.slice(0, 80)})` : cell;
}

/** Absolute sandbox cost per project. */
export function costTable(rows: readonly CostRow[]): Table {
  return {
    header: [
      "project",
      "run p50 ms",
      "run p99 ms",
      "per call ms",
      "per call, Promise.all of 50, ms",
      "runs/s",
      "MiB per concurrent run",
    ],
    rows: rows.map((r) =>
      r.error || !r.figures
        ? [who(r), `could not run: ${r.error ?? "no figures"}`, "", "", "", "", ""]
        : [
            who(r),
            ms(r.figures.runP50Ms),
            ms(r.figures.runP99Ms),
            failedOr(r, "sequential", ms(r.figures.seqCallMs, 4)),
            failedOr(r, "parallel", ms(r.figures.parCallMs, 4)),
            failedOr(
              r,
              "throughput",
              r.figures.runsPerSecond === undefined ? "–" : formatInt(r.figures.runsPerSecond),
            ),
            failedOr(
              r,
              "memory",
              r.memory
                ? `${mib(r.memory.perRunBytes)}${r.memory.parked < r.memory.asked ? ` (${r.memory.parked} of ${r.memory.asked} alive at once)` : ""}`
                : "–",
            ),
          ],
    ),
    numeric: [1, 2, 3, 4, 5, 6],
  };
}

/** Each project against the executor of ours built the same way: peer ÷ ours. */
export function ratioTable(rows: readonly CostRow[]): Table {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const peers = rows.filter((r) => !OUR_IDS.includes(r.id));
  return {
    header: [
      "project",
      "vs ours",
      "run p50",
      "run p99",
      "per call",
      "per parallel call",
      "runs/s",
      "memory per run",
    ],
    rows: peers.map((r) => {
      const ours = byId.get(r.reference);
      const f = r.figures;
      const o = ours?.figures;
      // A figure that was not measured is undefined in a live run and null once the run is read back
      // from its JSON (NaN serialises as null): neither is a ratio.
      const measured = (n: number | null | undefined): n is number =>
        typeof n === "number" && Number.isFinite(n);
      const ratio = (a: number | null | undefined, b: number | null | undefined) =>
        measured(a) && measured(b) && b !== 0 ? a / b : undefined;
      return [
        who(r),
        r.reference,
        times(ratio(f?.runP50Ms, o?.runP50Ms)),
        times(ratio(f?.runP99Ms, o?.runP99Ms)),
        times(ratio(f?.seqCallMs, o?.seqCallMs)),
        times(ratio(f?.parCallMs, o?.parCallMs)),
        times(ratio(f?.runsPerSecond, o?.runsPerSecond)),
        times(ratio(r.memory?.perRunBytes, ours?.memory?.perRunBytes)),
      ];
    }),
    numeric: [2, 3, 4, 5, 6, 7],
  };
}

/** Hostile-suite outcomes per project. */
export function safetyTable(rows: readonly SafetyRow[]): Table {
  return {
    header: [
      "project",
      "programs",
      "escaped",
      "hung past its timeout",
      "took the host down",
      "threw in the host",
      "ran where ours stops it",
      "result differs",
      "broke the next run",
      "contained",
    ],
    rows: rows.map((r) => {
      const escapes = [...new Set(r.verdicts.flatMap((v) => v.escapes))];
      return [
        who(r),
        r.error ? `suite failed: ${r.error}` : String(r.verdicts.length),
        `${r.counts.escaped}${escapes.length ? ` (${escapes.join(", ")})` : ""}`,
        String(r.counts.hung),
        String(r.counts.crashed),
        String(r.counts.threw),
        String(r.counts.ran),
        String(r.counts.differs),
        String(r.brokeNextRun),
        String(r.counts.contained),
      ];
    }),
    numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  };
}

/** Limits each project has, "none" where it has none of a kind. */
export function limitsTable(rows: readonly SafetyRow[]): Table {
  return {
    header: ["limit", ...rows.map((r) => r.id)],
    rows: LIMIT_KINDS.map((kind) => [kind, ...rows.map((r) => r.limits[kind] ?? "**none**")]),
  };
}

/** `id -> package@version` of every project that ran, from the hosts' metadata. */
export function projectVersions(result: Pick<PeersResult, "cost" | "safety">): Map<string, string> {
  const versions = new Map<string, string>();
  for (const r of [...result.cost, ...result.safety]) {
    if (r.meta && !versions.has(r.id)) versions.set(r.id, `${r.meta.pkg.name}@${r.meta.pkg.version}`);
  }
  return versions;
}

/** Prompt size of the four packs, per rendering; a project's rendering names the version that made it. */
export function promptTable(prompt: PromptSizes, versions: ReadonlyMap<string, string> = new Map()): Table {
  return {
    header: ["rendering", "what is counted", "tokens", "× ours (compact, inlined)"],
    rows: prompt.rows.map((r) => [
      versions.has(r.id) ? `${r.id} (${versions.get(r.id)})` : r.id,
      r.what,
      r.error ? `failed: ${r.error}` : formatInt(r.tokens),
      r.error ? "" : times(r.ratio),
    ]),
    numeric: [2, 3],
  };
}

/** Pack answers vs raw vendor API objects, per question. */
export function answersTable(answers: AnswerSizes): Table {
  return {
    header: [
      "question",
      "pack tool",
      "pack answer tokens",
      "raw API objects",
      "objects (pages)",
      "raw API tokens",
      "raw ÷ pack",
    ],
    rows: answers.rows.map((r) => [
      r.question,
      `\`${r.tool}\``,
      formatInt(r.packTokens),
      r.api,
      `${formatInt(r.objects)} (${r.pages})`,
      formatInt(r.rawTokens),
      times(r.ratio),
    ]),
    numeric: [2, 5, 6],
  };
}

function answersSection(answers: AnswerSizes | { error: string }): string[] {
  if ("error" in answers) return [`Not measured: ${answers.error}`, ""];
  const lines = [
    `Five typical questions on the seeded world (scale ${formatInt(answers.scale)}, seed ${answers.seed}, as of ${answers.asOf}), each answered`,
    "two ways and counted with o200k_base: the pack tool's real answer (the text an MCP client appends to the model's context), and",
    "the raw vendor objects a generic MCP server wrapping the vendor's API returns for the same question, every page of them as",
    "compact JSON (servers that pretty-print send more). The raw objects are built from the same world's rows with every field",
    "the vendor documents (Stripe Invoice and Subscription: the key sets of Stripe's OpenAPI fixtures; HubSpot CRM v3 deals as",
    "the search endpoint returns them, with the properties the question asks for; Shopify Admin REST 2025-01 InventoryLevel,",
    "InventoryItem and Order), sized as the question needs: the fewest objects a model must page through (a lower bound).",
    "",
    markdownTable(answersTable(answers)),
    "",
    "What the model asks the vendor API for, and what the raw objects still lack to answer:",
    "",
  ];
  for (const r of answers.rows) {
    lines.push(
      `- ${r.question} ${r.requests.map((q) => `\`${q}\``).join("; ")}.${r.missing ? ` Still missing: ${r.missing}.` : ""}`,
    );
  }
  lines.push("");
  return lines;
}

function whichPrograms(rows: readonly SafetyRow[]): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    const notable = r.verdicts.filter((v) => v.outcome !== "contained" || v.brokeNextRun);
    lines.push(`### ${who(r)}`, "");
    if (r.error) lines.push(`The suite could not run: ${r.error}`, "");
    if (notable.length === 0 && !r.error) {
      lines.push(`All ${r.verdicts.length} programs contained; the next run worked after each.`, "");
      continue;
    }
    for (const v of notable) {
      const tag = [v.outcome, ...(v.escapes.length ? [`escaped: ${v.escapes.join(", ")}`] : [])].join("; ");
      lines.push(
        `- \`${v.program}\` (${v.category}): ${tag}${v.brokeNextRun ? `; the next run failed (${v.nextRun ?? "no detail"})` : ""}. ${v.detail.replaceAll("\n", " ")}`,
      );
    }
    lines.push("");
  }
  return lines;
}

/** The peers report: four tables (sandbox cost and ratios, safety, prompt size, pack answers vs raw APIs), limits and program lists. */
export function peersReport(result: PeersResult, command: string): ReportPart {
  const versions = [...result.cost, ...result.safety]
    .filter((r, i, all) => r.meta && all.findIndex((x) => x.id === r.id) === i)
    .map((r) => `${r.id}: ${r.meta?.label} — \`${r.meta?.pkg.name}@${r.meta?.pkg.version}\``);
  const p = result.perf;
  const lines = [
    "# Toolpacks against peer code-mode projects",
    "",
    `Command: \`${command}\`. One run, one machine: ${result.machine.cpus} cores, Node ${result.machine.node},`,
    `load average ${result.machine.loadAverage.map((n) => n.toFixed(1)).join(" / ")} at the start. The machine was shared: other work ran on it during the run, so compare ratios, not absolutes.`,
    "Every project runs through one adapter interface (a program with tool bindings `t.echo(...)` resolving in the host,",
    "JSON values), unpatched, each in a host of its own: a child Node process, or workerd through Miniflare for the",
    "Worker Loader projects (timed inside the host Worker, next to the sandboxes).",
    "",
    "Projects and the versions that ran:",
    "",
    ...versions.map((v) => `- ${v}`),
    "",
    "## Sandbox cost",
    "",
    `Per run: create the sandbox and run \`return 1 + 1\`, ${p.runs} runs after 10 warm-up runs. Per call: a program of`,
    `${p.seqCalls} sequential \`await t.echo({ i })\`, and one \`Promise.all\` of ${p.parCalls}, each minus the per-run p50, divided by the calls`,
    `(median of 5). Runs/s: ${p.concurrency} runs in flight for ${p.throughputMs / 1000} s on the whole machine. Memory: ${result.memoryRuns} runs`,
    "held alive at once (each parked in a host tool), host RSS growth divided by the runs alive.",
    "",
    markdownTable(costTable(result.cost)),
    "",
    "Ratios, each project ÷ the executor of ours built the same way (above 1× = more time or memory than ours; for runs/s, above 1× = more runs than ours):",
    "",
    markdownTable(ratioTable(result.cost)),
    "",
    "## Safety: our hostile suite through every adapter",
    "",
    "The executor conformance suite's hostile programs (packages/runtime/src/executors/conformance/hostile), each with the",
    "limits its header asks for, passed to a project where it has the knob. Escapes are proven by evidence, not error codes:",
    "a secret in the host's environment (`env`), a secret on the host's global object (`secret`), a file's contents (`fs`),",
    `or a connection to 127.0.0.1:9, the address every network program dials (\`network\`; ${result.canary.listening ? "a listener counted connections there" : `not watched: ${result.canary.reason ?? "unknown"}`}).`,
    "Hung: no answer within the program's timeout plus 15 s (the host was killed and replaced). Threw: the project's own",
    "host-side code threw instead of returning a result. After every program a benign run on the same host (10 s timeout)",
    "checks the sandbox still works.",
    "",
    markdownTable(safetyTable(result.safety)),
    "",
    "### Limits each project has",
    "",
    "Read from each project's source at the pinned version; **none** means no limit of that kind at all.",
    "",
    markdownTable(limitsTable(result.safety)),
    "",
    "### Which programs",
    "",
    ...whichPrograms(result.safety),
    "## Prompt size",
    "",
  ];
  if ("error" in result.prompt) {
    lines.push(`Not measured: ${result.prompt.error}`, "");
  } else {
    lines.push(
      `The ${result.prompt.tools} tools of ${result.prompt.packs.join(", ")} rendered by each project's own prompt or type generator, as the`,
      "model receives it (tool definitions as JSON: name, description, input schema; plus any system-prompt text the",
      "project asks you to send), counted with o200k_base.",
      "",
      markdownTable(promptTable(result.prompt, projectVersions(result))),
      "",
    );
  }
  lines.push("## Pack answers vs raw vendor APIs", "", ...answersSection(result.answers));
  const costed = result.cost.filter((r) => r.figures);
  return {
    name: "peers",
    data: result,
    markdown: lines.join("\n"),
    charts: [
      {
        id: "per-run",
        chart: {
          title: "Per-run overhead (create + trivial program)",
          unit: "ms",
          log: true,
          categories: costed.map((r) => r.id),
          series: [
            { name: "p50", values: costed.map((r) => r.figures?.runP50Ms ?? Number.NaN) },
            { name: "p99", values: costed.map((r) => r.figures?.runP99Ms ?? Number.NaN) },
          ],
        },
      },
      ...("error" in result.prompt
        ? []
        : [
            {
              id: "prompt",
              chart: {
                title: "Prompt size of the four packs",
                unit: "tokens",
                log: true,
                categories: result.prompt.rows.map((r) => r.id),
                series: [{ name: "o200k tokens", values: result.prompt.rows.map((r) => r.tokens) }],
              },
            },
          ]),
      ...("error" in result.answers
        ? []
        : [
            {
              id: "answers",
              chart: {
                title: "Pack answer vs raw vendor API objects, per question",
                unit: "o200k tokens",
                log: true,
                categories: result.answers.rows.map((r) => r.id),
                series: [
                  { name: "pack tool answer", values: result.answers.rows.map((r) => r.packTokens) },
                  { name: "raw API objects", values: result.answers.rows.map((r) => r.rawTokens) },
                ],
              },
            },
          ]),
    ],
  };
}

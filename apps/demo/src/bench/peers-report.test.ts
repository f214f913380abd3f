import type { PeersResult } from "@toolpacks/bench-peers";
import { describe, expect, it } from "vitest";
import { answersTable, peersReport, ratioTable, safetyTable } from "./peers-report.js";

const meta = (id: string, name: string) => ({
  id,
  label: id,
  pkg: { name, version: "1.2.3" },
  engine: "node" as const,
});
const none = { escaped: 0, hung: 0, crashed: 0, threw: 0, ran: 0, differs: 0, contained: 0 };

const result: PeersResult = {
  machine: { cpus: 2, node: "v24.0.0", loadAverage: [1, 1, 1] },
  perf: { runs: 10, seqCalls: 10, parCalls: 50, throughputMs: 1000, concurrency: 2 },
  memoryRuns: 4,
  cost: [
    {
      id: "quickjs",
      reference: "quickjs",
      meta: meta("quickjs", "@toolpacks/runtime"),
      figures: {
        runP50Ms: 1,
        runP99Ms: 2,
        seqCallMs: 0.01,
        parCallMs: 0.005,
        runsPerSecond: 900,
        failures: {},
      },
      memory: { parked: 4, asked: 4, rssIdleBytes: 0, rssHeldBytes: 4 << 20, perRunBytes: 1 << 20 },
    },
    {
      id: "tanstack",
      reference: "quickjs",
      meta: meta("tanstack", "@tanstack/ai-code-mode"),
      figures: {
        runP50Ms: 4,
        runP99Ms: 8,
        runsPerSecond: 300,
        failures: { sequential: "HOST_CRASHED: aborted" },
      },
      memory: { parked: 1, asked: 4, rssIdleBytes: 0, rssHeldBytes: 3 << 20, perRunBytes: 3 << 20 },
    },
  ],
  safety: [
    {
      id: "tanstack",
      meta: meta("tanstack", "@tanstack/ai-code-mode"),
      verdicts: [
        {
          program: "cpu-while-true",
          category: "cpu",
          outcome: "contained",
          escapes: [],
          brokeNextRun: false,
          detail: "",
        },
        {
          program: "net-fetch",
          category: "network",
          outcome: "escaped",
          escapes: ["network"],
          brokeNextRun: true,
          nextRun: "TIMEOUT",
          detail: "ok",
        },
      ],
      counts: { ...none, contained: 1, escaped: 1 },
      brokeNextRun: 1,
      limits: {
        "wall time": "timeout",
        "CPU (stops a busy loop)": "interrupt",
        memory: "memoryLimit",
        "tool calls per run": null,
        "calls in flight": null,
        "log bytes": null,
        "result bytes": null,
        "program bytes": null,
      },
    },
  ],
  canary: { listening: true },
  prompt: {
    packs: ["billing"],
    tools: 3,
    rows: [
      { id: "ours: compact declarations", what: "execute", tokens: 100, ratio: 1 },
      { id: "tanstack", what: "prompt", tokens: 250, ratio: 2.5 },
    ],
    texts: {},
  },
  answers: {
    scale: 1000,
    seed: 1,
    asOf: "2026-06-30",
    tokenizer: "o200k_base",
    rows: [
      {
        id: "mrr",
        question: "What is our MRR?",
        tool: "billing.mrr_summary",
        args: {},
        packTokens: 400,
        packText: "{}",
        api: "Stripe Subscription",
        requests: ["GET /v1/subscriptions?status=active&limit=100"],
        objects: 120,
        pages: 2,
        rawTokens: 96_000,
        ratio: 240,
        missing: "currency rates",
        sample: {},
      },
    ],
  },
};

describe("peers report", () => {
  it("puts each peer beside the executor of ours built the same way, as peer ÷ ours", () => {
    const table = ratioTable(result.cost);
    expect(table.rows).toEqual([
      ["tanstack (@tanstack/ai-code-mode@1.2.3)", "quickjs", "4.00×", "4.00×", "–", "–", "0.33×", "3.00×"],
    ]);
  });

  it("gives no ratio for a figure that was not measured, also when the run is read back from its JSON", () => {
    const stored = JSON.parse(
      JSON.stringify({
        ...result,
        cost: result.cost.map((r) =>
          r.id === "tanstack" && r.memory ? { ...r, memory: { ...r.memory, perRunBytes: Number.NaN } } : r,
        ),
      }),
    ) as PeersResult;
    expect(ratioTable(stored.cost).rows[0]?.[7]).toBe("–");
  });

  it("counts escapes by kind and says which programs, and 'none' where a project has no limit", () => {
    expect(safetyTable(result.safety).rows[0]?.slice(0, 3)).toEqual([
      "tanstack (@tanstack/ai-code-mode@1.2.3)",
      "2",
      "1 (network)",
    ]);
    const report = peersReport(result, "pnpm bench --part peers");
    expect(report.markdown).toContain(
      "`net-fetch` (network): escaped; escaped: network; the next run failed (TIMEOUT).",
    );
    expect(report.markdown).toContain("| tool calls per run | **none** |");
    expect(report.markdown).toContain("failed (HOST_CRASHED: aborted)");
    expect(report.markdown).toContain("(1 of 4 alive at once)");
    expect(report.markdown).toContain("`@tanstack/ai-code-mode@1.2.3`");
    expect(report.charts.map((c) => c.id)).toEqual(["per-run", "prompt", "answers"]);
    // Every peer's figures carry the version that made them, in the prompt table too.
    expect(report.markdown).toContain("| tanstack (@tanstack/ai-code-mode@1.2.3) | prompt | 250 | 2.50× |");
  });

  it("puts each question's pack answer beside the raw vendor objects, with what the raw side still lacks", () => {
    expect(answersTable(result.answers as Exclude<PeersResult["answers"], { error: string }>).rows).toEqual([
      [
        "What is our MRR?",
        "`billing.mrr_summary`",
        "400",
        "Stripe Subscription",
        "120 (2)",
        "96,000",
        "240.00×",
      ],
    ]);
    const report = peersReport(result, "pnpm bench --part peers");
    expect(report.markdown).toContain("## Pack answers vs raw vendor APIs");
    expect(report.markdown).toContain("Still missing: currency rates.");
    expect(report.markdown).toContain("The machine was shared");
    const chart = report.charts.find((c) => c.id === "answers")?.chart;
    expect(chart?.series.map((s) => s.values)).toEqual([[400], [96_000]]);
  });
});

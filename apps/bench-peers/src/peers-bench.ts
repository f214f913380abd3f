/**
 * One run of the peer comparison: sandbox cost, safety against our hostile suite, prompt size, and
 * pack answers against raw vendor API objects, every project on the same machine in the same run. Each project runs in a host of its own
 * (a child Node process, or workerd), so one project can neither crash the bench nor skew another's
 * memory figure. Nothing here fails on a figure: a project that cannot run is reported with why.
 */
import { availableParallelism, loadavg } from "node:os";
import { HOSTILE_PROGRAMS } from "@toolpacks/runtime/testing";
import { BENCH_LIMITS } from "./adapter.js";
import { type AnswerSizes, measureAnswerSizes } from "./answers/answer-sizes.js";
import { forkForAnswer } from "./host/fork-ts.js";
import { type HostSecrets, startNodeHost } from "./host/node-host.js";
import type { HostMeta, MemoryReply, SandboxHost } from "./host/protocol.js";
import { startWorkerdHost, WORKERD_ADAPTER_IDS } from "./host/workerd-host.js";
import { DECLARED_LIMITS, type LimitKind } from "./limits.js";
import { type PerfFigure, type PerfFigures, type PerfOptions, perCallMs } from "./measure/perf.js";
import { NODE_ADAPTER_IDS, type NodeAdapterId } from "./node-adapters.js";
import type { PromptSizes } from "./prompt/prompt-size.js";
import { startCanary } from "./safety/canary.js";
import type { Outcome, Verdict } from "./safety/classify.js";
import { runHostilePrograms } from "./safety/hostile-run.js";
import type { WorkerdPeerId } from "./workerd/host-worker.js";

export const ADAPTER_IDS = [...NODE_ADAPTER_IDS, ...WORKERD_ADAPTER_IDS] as const;
export type AdapterId = (typeof ADAPTER_IDS)[number];

/** Ours. */
export const OUR_IDS: readonly AdapterId[] = ["quickjs", "quickjs-thread", "worker-loader"];

/** The executor of ours each project's ratios are taken against: the one built the same way. */
export const REFERENCE: Record<AdapterId, AdapterId> = {
  quickjs: "quickjs",
  "quickjs-thread": "quickjs-thread",
  "worker-loader": "worker-loader",
  vercel: "quickjs-thread", // QuickJS on worker threads, both
  tanstack: "quickjs", // QuickJS-emscripten in the host thread, both
  utcp: "quickjs", // an isolate in the host process
  cloudflare: "worker-loader", // Worker Loader isolates in workerd, both
};

export interface CostRow {
  id: AdapterId;
  meta?: HostMeta;
  reference: AdapterId;
  figures?: PerfFigures;
  memory?: MemoryReply;
  error?: string;
}

export interface SafetyRow {
  id: AdapterId;
  meta?: HostMeta;
  verdicts: Verdict[];
  counts: Record<Outcome, number>;
  brokeNextRun: number;
  limits: Record<LimitKind, string | null>;
  error?: string;
}

export interface PeersResult {
  machine: { cpus: number; node: string; loadAverage: number[] };
  perf: PerfOptions;
  memoryRuns: number;
  cost: CostRow[];
  safety: SafetyRow[];
  canary: { listening: boolean; reason?: string };
  prompt: PromptSizes | { error: string };
  /** Pack answers vs raw vendor API objects for five typical questions. */
  answers: AnswerSizes | { error: string };
}

export interface StepReporter {
  step(label: string): { update(note: string): void; done(note?: string): void };
}

export interface PeersBenchOptions {
  adapters?: readonly AdapterId[];
  perf: PerfOptions;
  /** Runs held alive at once for the memory figure. */
  memoryRuns: number;
  /** Hostile programs by name; default all of them. */
  hostile?: readonly string[];
  /** Skip parts (for quick runs). */
  skip?: { cost?: boolean; safety?: boolean; prompt?: boolean; answers?: boolean };
  /** World size of the pack-answers part; default 10,000 (the token-economics world). */
  answersScale?: number;
  progress?: StepReporter;
}

function randomSecret(kind: string): string {
  return `tp-${kind}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

/** Starts the host of one project. */
export function startHost(id: AdapterId, secrets: HostSecrets): Promise<SandboxHost> {
  return (NODE_ADAPTER_IDS as readonly string[]).includes(id)
    ? startNodeHost(id as NodeAdapterId, secrets)
    : startWorkerdHost(id as WorkerdPeerId, secrets);
}

function firstLine(err: unknown): string {
  return err instanceof Error ? (err.message.split("\n")[0] ?? err.name) : String(err);
}

/**
 * One project's sandbox cost, figure by figure, each on a live host: a figure whose measurement
 * fails (the program failed, or the host hung or died) is recorded with why, and a fresh host
 * measures the next one.
 */
async function measureCost(
  id: AdapterId,
  options: PeersBenchOptions,
  secrets: HostSecrets,
  note: (text: string) => void,
): Promise<CostRow> {
  const row: CostRow = { id, reference: REFERENCE[id] };
  const figures: PerfFigures = { failures: {} };
  let host: SandboxHost | undefined;
  const live = async () => {
    host ??= await startHost(id, secrets);
    row.meta ??= host.meta;
    return host;
  };
  const lose = async () => {
    await host?.close();
    host = undefined;
  };
  const medians: Partial<Record<PerfFigure, number>> = {};
  try {
    for (const figure of ["runs", "sequential", "parallel", "throughput"] as const) {
      note(figure);
      try {
        const value = await (await live()).perf(figure, options.perf, BENCH_LIMITS);
        if ("p50" in value) {
          figures.runP50Ms = value.p50;
          figures.runP99Ms = value.p99;
        } else if ("medianMs" in value) medians[figure] = value.medianMs;
        else figures.runsPerSecond = value.runsPerSecond;
      } catch (err) {
        figures.failures[figure] = firstLine(err);
        await lose();
      }
    }
    const base = figures.runP50Ms;
    if (base !== undefined && medians.sequential !== undefined) {
      figures.seqCallMs = perCallMs(medians.sequential, base, options.perf.seqCalls);
    }
    if (base !== undefined && medians.parallel !== undefined) {
      figures.parCallMs = perCallMs(medians.parallel, base, options.perf.parCalls);
    }
    row.figures = figures;
    note("memory");
    try {
      row.memory = await (await live()).memory(options.memoryRuns, BENCH_LIMITS);
    } catch (err) {
      figures.failures.memory = firstLine(err);
    }
  } catch (err) {
    row.error = firstLine(err);
  } finally {
    await lose();
  }
  return row;
}

const quiet: StepReporter = { step: () => ({ update() {}, done() {} }) };

export async function runPeersBench(options: PeersBenchOptions): Promise<PeersResult> {
  const ids = options.adapters ?? ADAPTER_IDS;
  const progress = options.progress ?? quiet;
  const secrets: HostSecrets = { env: randomSecret("env"), global: randomSecret("global") };
  const result: PeersResult = {
    machine: { cpus: availableParallelism(), node: process.version, loadAverage: loadavg() },
    perf: options.perf,
    memoryRuns: options.memoryRuns,
    cost: [],
    safety: [],
    canary: { listening: false },
    prompt: { error: "skipped" },
    answers: { error: "skipped" },
  };

  if (!options.skip?.cost) {
    for (const id of ids) {
      const step = progress.step(`sandbox cost: ${id}`);
      const row = await measureCost(id, options, secrets, (note) => step.update(note));
      const f = row.figures;
      step.done(
        row.error
          ? `failed: ${row.error}`
          : `p50 ${f?.runP50Ms ?? "–"} ms, ${f?.runsPerSecond ?? "–"} runs/s${Object.keys(f?.failures ?? {}).length ? `; not measured: ${Object.keys(f?.failures ?? {}).join(", ")}` : ""}`,
      );
      result.cost.push(row);
    }
  }

  if (!options.skip?.safety) {
    const canary = await startCanary();
    result.canary = { listening: canary.listening, ...(canary.reason ? { reason: canary.reason } : {}) };
    const programs = HOSTILE_PROGRAMS.filter((p) => !options.hostile || options.hostile.includes(p.name));
    try {
      for (const id of ids) {
        const step = progress.step(`hostile suite (${programs.length} programs): ${id}`);
        let done = 0;
        const row: SafetyRow = {
          id,
          verdicts: [],
          counts: { escaped: 0, hung: 0, crashed: 0, threw: 0, ran: 0, differs: 0, contained: 0 },
          brokeNextRun: 0,
          limits: DECLARED_LIMITS[id] as Record<LimitKind, string | null>,
        };
        try {
          row.verdicts = await runHostilePrograms({
            programs,
            secrets,
            canary,
            startHost: async () => {
              const host = await startHost(id, secrets);
              row.meta ??= host.meta;
              return host;
            },
            onProgram: (v) => step.update(`${++done}/${programs.length} ${v.program}: ${v.outcome}`),
          });
        } catch (err) {
          row.error = err instanceof Error ? err.message.split("\n")[0] : String(err);
        }
        for (const v of row.verdicts) {
          row.counts[v.outcome]++;
          if (v.brokeNextRun) row.brokeNextRun++;
        }
        step.done(
          row.error
            ? `failed: ${row.error}`
            : Object.entries(row.counts)
                .map(([k, n]) => `${k} ${n}`)
                .join(", "),
        );
        result.safety.push(row);
      }
    } finally {
      await canary.close();
    }
  }

  if (!options.skip?.prompt) {
    const step = progress.step("prompt size: the four packs rendered by each project");
    try {
      const answer = await forkForAnswer<{ sizes: PromptSizes }>("prompt/prompt-main.ts", [], 300_000);
      result.prompt = answer.sizes;
      step.done();
    } catch (err) {
      result.prompt = { error: err instanceof Error ? err.message : String(err) };
      step.done(`failed: ${result.prompt.error}`);
    }
  }

  if (!options.skip?.answers) {
    const step = progress.step("pack answers vs raw vendor API objects: five questions");
    try {
      result.answers = await measureAnswerSizes(
        options.answersScale === undefined ? {} : { scale: options.answersScale },
      );
      step.done();
    } catch (err) {
      result.answers = { error: err instanceof Error ? err.message : String(err) };
      step.done(`failed: ${result.answers.error}`);
    }
  }
  return result;
}

// The load part of `pnpm bench`: the HTTP gateway under 200 concurrent clients on 127.0.0.1,
// benign runs mixed with spinning programs, memory hogs and large answers, against the same
// benign load alone; benign latency, error counts by code and the gateway's RSS over time.
import type { Progress } from "../progress/progress.js";
import { formatMs, markdownTable, type Table } from "../report/table.js";
import type { ReportPart } from "../report/write-report.js";
import { type ClientKind, type Outcome, PROGRAMS, runClient } from "./load-clients.js";
import { type GatewayProcess, startGateway } from "./load-gateway.js";
import { type RssVerdict, rssVerdict } from "./rss-verdict.js";
import { summarize, type Timing } from "./stats.js";

/** Options of the load part. */
export interface LoadPartOptions {
  /**
   * Length of the mixed phase in seconds; the benign-only phase takes half of it, and each host-thread
   * phase a quarter. Each phase then waits at most 8 s for its last answers.
   */
  seconds: number;
  progress: Progress;
  command: string;
}

/** The client mix of the mixed phase (200 clients). */
export const MIX: Record<ClientKind, number> = { benign: 160, spinner: 20, hog: 10, large: 10 };
const LIMITS = { timeoutMs: 2000, memoryMb: 64 };
// The gateway's default (`SERVE_DEFAULT_THREADS`): what a user who runs `toolpacks serve` gets.
const THREADS = 8;
/** After a phase's last run starts, how long its answers may take before they are abandoned (CUT). */
const DRAIN_MS = 8_000;
/** Benign latency is measured on runs sent after this much of a phase. */
const WARMUP_MS = 10_000;

/** One phase's figures. */
export interface PhaseResult {
  phase: string;
  executor: string;
  seconds: number;
  clients: Record<ClientKind, number>;
  benign: Timing;
  /** Final outcomes by client kind and code (`ok`, `TIMEOUT`, `MEMORY_LIMIT`, `BUSY`, …). */
  outcomes: Record<string, Record<string, number>>;
  /** BUSY answers that were retried, by client kind. */
  busyRetries: Record<string, number>;
}

/** Everything the load part measured. */
export interface LoadResult {
  limits: typeof LIMITS & { threads: number };
  programs: typeof PROGRAMS;
  phases: PhaseResult[];
  /** The threads gateway's RSS, sampled each second across its two phases. */
  rss: Array<{ second: number; phase: string; mib: number }>;
  rssSummary: {
    startMiB: number;
    peakMiB: number;
    endMiB: number;
    mixedFirstThirdMiB: number;
    mixedLastThirdMiB: number;
    /** Flatness of the mixed phase's RSS after its first 10 s (see rss-verdict.ts). */
    mixedVerdict: RssVerdict;
  };
}

/** Each client gets its own loopback source address (127.0.0.10 and up). */
const addressOf = (i: number) => `127.0.${Math.floor((10 + i) / 250)}.${((10 + i) % 250) + 1}`;

async function runPhase(
  gateway: GatewayProcess,
  phase: string,
  executor: string,
  seconds: number,
  clients: Record<ClientKind, number>,
): Promise<PhaseResult> {
  const outcomes: Outcome[] = [];
  const until = performance.now() + seconds * 1000;
  const deadline = until + DRAIN_MS;
  const loops: Promise<void>[] = [];
  let index = 0;
  for (const kind of Object.keys(clients) as ClientKind[]) {
    for (let i = 0; i < clients[kind]; i++) {
      loops.push(
        runClient({
          port: gateway.port,
          kind,
          localAddress: addressOf(index++),
          until,
          deadline,
          // Benign clients think 20-40 s between runs (about 5 runs/s from 160 of them, within
          // what the gateway answers on a shared 2-core machine); hostile ones come straight back.
          thinkMs: () => (kind === "benign" ? 20_000 + Math.random() * 20_000 : 0),
          record: (o) => outcomes.push(o),
        }),
      );
    }
  }
  await Promise.all(loops);
  const byKind: Record<string, Record<string, number>> = {};
  const busyRetries: Record<string, number> = {};
  for (const o of outcomes) {
    const codes = byKind[o.kind] ?? {};
    codes[o.code] = (codes[o.code] ?? 0) + 1;
    byKind[o.kind] = codes;
    busyRetries[o.kind] = (busyRetries[o.kind] ?? 0) + o.busy;
  }
  // Latency counts runs sent after the warm-up (a client's first run is served like anyone's, so
  // the first round of hostile runs is not what the steady state looks like).
  const measuredFrom = until - seconds * 1000 + WARMUP_MS;
  const benign = summarize(
    outcomes
      .filter((o) => o.kind === "benign" && o.code === "ok" && o.startedAt >= measuredFrom)
      .map((o) => o.ms),
  );
  return { phase, executor, seconds, clients, benign, outcomes: byKind, busyRetries };
}

const only = (benign: number): Record<ClientKind, number> => ({ benign, spinner: 0, hog: 0, large: 0 });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);

/** Runs the four phases and builds the report. */
export async function runLoadPart(
  options: LoadPartOptions,
): Promise<{ result: LoadResult; table: Table; report: ReportPart }> {
  const phases: PhaseResult[] = [];
  const rss: LoadResult["rss"] = [];
  const threadsLabel = `quickjs-thread ×${THREADS}`;
  let step = options.progress.step("load: starting the gateway (threads)");
  let gateway = await startGateway({ threads: THREADS, ...LIMITS });
  step.done();
  let phase = "benign only";
  const t0 = performance.now();
  const sampler = setInterval(() => {
    gateway
      .rssMiB()
      .then((mib) => rss.push({ second: Math.round((performance.now() - t0) / 1000), phase, mib }))
      .catch(() => {});
  }, 1000);
  try {
    const base = Math.max(5, Math.round(options.seconds / 2));
    step = options.progress.step(`load: ${MIX.benign} benign clients, ${base} s (${threadsLabel})`);
    phases.push(await runPhase(gateway, phase, threadsLabel, base, only(MIX.benign)));
    step.done();
    phase = "mixed";
    step = options.progress.step(
      `load: 200 clients, benign and hostile, ${options.seconds} s (${threadsLabel})`,
    );
    phases.push(await runPhase(gateway, phase, threadsLabel, options.seconds, MIX));
    step.done();
  } finally {
    clearInterval(sampler);
    await gateway.stop();
  }
  const short = Math.max(5, Math.round(options.seconds / 4));
  step = options.progress.step("load: the same on the host thread (--threads 0)");
  gateway = await startGateway({ threads: 0, ...LIMITS });
  try {
    phases.push(await runPhase(gateway, "benign only", "quickjs (host thread)", short, only(MIX.benign)));
    phases.push(await runPhase(gateway, "mixed", "quickjs (host thread)", short, MIX));
  } finally {
    await gateway.stop();
  }
  step.done();

  const mixed = rss.filter((s) => s.phase === "mixed").map((s) => s.mib);
  const third = Math.max(1, Math.floor(mixed.length / 3));
  const result: LoadResult = {
    limits: { ...LIMITS, threads: THREADS },
    programs: PROGRAMS,
    phases,
    rss,
    rssSummary: {
      startMiB: rss[0]?.mib ?? Number.NaN,
      peakMiB: Math.max(...rss.map((s) => s.mib)),
      endMiB: rss.at(-1)?.mib ?? Number.NaN,
      mixedFirstThirdMiB: mean(mixed.slice(0, third)),
      mixedLastThirdMiB: mean(mixed.slice(-third)),
      mixedVerdict: rssVerdict(mixed, WARMUP_MS / 1000),
    },
  };
  const table = loadTable(phases);
  return { result, table, report: loadReport(result, table, options.command) };
}

const codes = (counts: Record<string, number> | undefined) =>
  counts
    ? Object.entries(counts)
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => `${code} ${n}`)
        .join(", ")
    : "";

/** One row per phase: benign latency and what every kind of client got back. */
export function loadTable(phases: readonly PhaseResult[]): Table {
  return {
    header: [
      "executor",
      "phase",
      "benign runs",
      "benign p50",
      "benign p99",
      "benign",
      "spinners",
      "hogs",
      "large",
      "BUSY retried",
    ],
    rows: phases.map((p) => [
      p.executor,
      p.phase,
      String(p.benign.samples),
      formatMs(p.benign.p50),
      formatMs(p.benign.p99),
      codes(p.outcomes.benign),
      codes(p.outcomes.spinner),
      codes(p.outcomes.hog),
      codes(p.outcomes.large),
      String(Object.values(p.busyRetries).reduce((a, b) => a + b, 0)),
    ]),
    numeric: [2, 3, 4, 9],
  };
}

function loadReport(result: LoadResult, table: Table, command: string): ReportPart {
  const s = result.rssSummary;
  const mib = (n: number) => `${n.toFixed(0)} MiB`;
  const markdown = [
    "# The HTTP gateway under load",
    "",
    `Command: \`${command}\`. \`toolpacks serve --http 0 --pack crm\` runs as its own process on 127.0.0.1`,
    `(--timeout-ms ${LIMITS.timeoutMs}, --memory-mb ${LIMITS.memoryMb}, the default run queue: ${THREADS} at a time, 1 per client,`,
    "64 waiting, 4 per client). Each client is a loop of `execute` calls from its own 127.0.0.x address, so the",
    "gateway sees distinct clients. Benign clients run one tool call and think 20-40 s; spinners loop until",
    "their time limit, hogs allocate until their memory limit, large-answer clients hold 20 tool answers and",
    "return 4 MB. A BUSY answer is retried after its retryAfterMs (latency counts from the first attempt);",
    "an answer still missing 8 s after a phase ends is abandoned and counted as CUT. Benign latency counts the",
    "runs sent after the first 10 s of a phase, and only those answered ok; the outcome columns count every",
    "run. The queue serves clients that have recently used the least run time first, but a client's first",
    "run is served like anyone's: until each hostile client has finished one run, benign runs share turns with them.",
    "Mixed = 200 clients: " +
      Object.entries(MIX)
        .map(([k, n]) => `${n} ${k}`)
        .join(", ") +
      ".",
    "",
    markdownTable(table),
    "",
    `Gateway RSS (threads run, sampled each second): start ${mib(s.startMiB)}, peak ${mib(s.peakMiB)}, end ${mib(s.endMiB)};`,
    `mean over the first third of the mixed phase ${mib(s.mixedFirstThirdMiB)}, over the last third ${mib(s.mixedLastThirdMiB)}.`,
    `Flatness after the mixed phase's first ${WARMUP_MS / 1000} s (${s.mixedVerdict.samples} samples): **${s.mixedVerdict.verdict}**,`,
    `last third ${mib(s.mixedVerdict.lastThirdMiB)} against first third ${mib(s.mixedVerdict.firstThirdMiB)} (${(s.mixedVerdict.growth * 100).toFixed(1)}%;`,
    "flat within 10% and level at the end; growing when the last half's slope, projected over the phase, rises over 5%; otherwise a plateau).",
    "",
    "RSS samples (second: MiB): " +
      result.rss
        .filter((_, i) => i % 5 === 0)
        .map((r) => `${r.second}: ${r.mib.toFixed(0)}`)
        .join(", ") +
      ".",
    "",
  ].join("\n");
  const threaded = result.phases.filter((p) => p.executor.startsWith("quickjs-thread"));
  return {
    name: "gateway-load",
    data: result,
    markdown,
    charts: [
      {
        id: "benign-latency",
        chart: {
          title: "Benign run latency, alone and among hostile clients",
          unit: "ms",
          log: true,
          categories: result.phases.map((p) => `${p.executor}, ${p.phase}`),
          series: [
            { name: "p50", values: result.phases.map((p) => p.benign.p50) },
            { name: "p99", values: result.phases.map((p) => p.benign.p99) },
          ],
        },
      },
      {
        id: "rss",
        chart: {
          title: `Gateway RSS over time (${threaded.map((p) => p.phase).join(", then ")})`,
          unit: "MiB",
          categories: result.rss.filter((_, i) => i % 5 === 0).map((r) => `${r.second}s`),
          series: [{ name: "RSS", values: result.rss.filter((_, i) => i % 5 === 0).map((r) => r.mib) }],
        },
      },
    ],
  };
}

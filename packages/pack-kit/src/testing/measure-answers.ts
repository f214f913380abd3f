import { PackKitError } from "../errors.js";
import { DRY_RUN_META } from "../meta-keys.js";
import { openSqliteStore } from "../node/sqlite-store.js";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import { estimateTokens } from "../server/budget.js";
import type { PackServerOptions } from "../server/create-pack-server.js";
import { preparePackStore } from "../store/migrate.js";
import type { ReadStore } from "../store/types.js";
import { openSeededClient, type SeededClient } from "./seeded-client.js";

/** One call to measure: a tool, its arguments and (for tables) the question it answers. */
export interface TypicalCall {
  tool: string;
  args: Record<string, unknown>;
  question?: string;
}

/** Size and latency of one tool's answer. */
export interface AnswerMeasurement {
  tool: string;
  args: Record<string, unknown>;
  /** Tokens of the answer's text, by `countTokens`. */
  tokens: number;
  /** Median and 95th percentile (nearest rank) of in-process call time, in milliseconds. */
  p50Ms: number;
  p95Ms: number;
  /** The answer's text (the last run's). */
  text: string;
}

/** What `measureAnswers` found. */
export interface AnswerMeasurements {
  /** Milliseconds spent seeding the world, or undefined when `db` was already seeded. */
  seededMs: number | undefined;
  answers: AnswerMeasurement[];
}

/** Options of `measureAnswers`. */
export interface MeasureAnswersOptions {
  /** Scale and seed of the world to measure on. */
  world: SeedOptions;
  /** The calls, or a function that picks them from the seeded store (ids that depend on scale). */
  calls:
    | readonly TypicalCall[]
    | ((store: ReadStore) => readonly TypicalCall[] | Promise<readonly TypicalCall[]>);
  /**
   * A SQLite file to seed once and reuse across runs (large worlds take a while to seed).
   * Default: in memory. A file seeded with another scale or seed is used as it is.
   */
  db?: string;
  /** Calls per tool for the latency figures. Default 30. */
  runs?: number;
  /**
   * Token counter, e.g. `(t) => getEncoding("o200k_base").encode(t).length` from js-tiktoken
   * (which the kit does not depend on). Default: the kit's estimate (UTF-8 bytes / 2.8, errs high).
   */
  countTokens?: (text: string) => number;
  /** Pack server options; the budget runs in `"error"` mode unless set. */
  server?: Omit<PackServerOptions, "store">;
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
}

/**
 * Seeds `pack` with a world (or reuses `db`) and measures each call's answer: its size in tokens
 * and its latency over `runs` in-process calls through the MCP client. Write tools run as dry
 * runs, so the store stays as seeded and every run plans the same write. Throws PackKitError
 * `unknown_tool` before measuring when a call names no tool of the pack, and
 * `measured_call_failed` when a call answers with a tool error: a figure for an error is no figure.
 */
export async function measureAnswers(
  pack: PackDefinition,
  options: MeasureAnswersOptions,
): Promise<AnswerMeasurements> {
  const runs = options.runs ?? 30;
  if (!Number.isInteger(runs) || runs < 1) {
    throw new PackKitError("invalid_runs", `runs must be a whole number of at least 1, not ${runs}.`);
  }
  const count = options.countTokens ?? estimateTokens;
  const store = openSqliteStore(options.db ?? ":memory:");
  let seededMs: number | undefined;
  let seeded: SeededClient;
  try {
    const started = performance.now();
    if (await preparePackStore(store, pack, options.world)) seededMs = performance.now() - started;
    seeded = await openSeededClient(pack, options.world, { ...options.server, store });
  } catch (error) {
    await store.close();
    throw error;
  }
  try {
    const calls = typeof options.calls === "function" ? await options.calls(store) : options.calls;
    const unknown = calls.filter((c) => !pack.tool(c.tool)).map((c) => c.tool);
    if (unknown.length > 0) {
      throw new PackKitError(
        "unknown_tool",
        `Cannot measure ${unknown.join(", ")}: not a tool of ${pack.name}. Its tools: ${pack.tools.map((t) => t.name).join(", ")}.`,
      );
    }
    const answers: AnswerMeasurement[] = [];
    for (const { tool, args } of calls) {
      const meta = pack.tool(tool)?.kind === "write" ? { [DRY_RUN_META]: true } : undefined;
      const times: number[] = [];
      let text = "";
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const result = await seeded.call(tool, args, meta);
        times.push(performance.now() - t0);
        if (result.isError) {
          throw new PackKitError(
            "measured_call_failed",
            `${tool} ${JSON.stringify(args)} answered with a tool error (${result.code}): ${result.text}`,
          );
        }
        text = result.text;
      }
      times.sort((a, b) => a - b);
      answers.push({
        tool,
        args,
        tokens: count(text),
        p50Ms: percentile(times, 0.5),
        p95Ms: percentile(times, 0.95),
        text,
      });
    }
    return { seededMs, answers };
  } finally {
    await seeded.close();
    await store.close();
  }
}

/** The measurements as a Markdown table (tool, tokens, p50 ms, p95 ms), e.g. for a README. */
export function answersTable(answers: readonly AnswerMeasurement[], tokensLabel = "tokens"): string {
  const rows = answers.map(
    (a) => `| ${a.tool} | ${a.tokens} | ${a.p50Ms.toFixed(1)} | ${a.p95Ms.toFixed(1)} |`,
  );
  return [`| tool | ${tokensLabel} | p50 ms | p95 ms |`, "| --- | --- | --- | --- |", ...rows].join("\n");
}

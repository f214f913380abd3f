import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPackSession } from "../packs/session.js";
import type { Progress } from "../progress/progress.js";
import { growthExponent, summarize, type Timing } from "./stats.js";

/** Options of the pack-answers-at-scale benchmark. */
export interface ScaleBenchOptions {
  /** World sizes in rows, e.g. [1e3, 1e4, 1e5, 1e6]. */
  sizes: number[];
  packs: string[];
  /** Calls per read tool and size (cycling through the tool's examples). */
  iterations: number;
  seed?: number;
  progress: Progress;
}

/** Latency of one read tool on one world size. */
export interface ToolLatency extends Timing {
  /** Calls that answered with a tool error (an example that does not fit this world). */
  errors: number;
}

/** Results of the benchmark. */
export interface ScaleBenchResult {
  sizes: number[];
  /** Time to build (generate, migrate, insert) each world into its SQLite file, ms. */
  buildMs: Record<string, number>;
  tools: Array<{
    pack: string;
    tool: string;
    bySize: Record<string, ToolLatency>;
    /** Slope of log(p50) over log(rows): 0 flat, 1 linear. */
    growth: number;
  }>;
}

/**
 * Builds a world of each size into a temporary SQLite file, then calls every read tool of the
 * packs `iterations` times through its MCP server with the tool's own examples and records p50
 * and p99. The files are removed afterwards. Timing never fails the run.
 */
export async function runScaleBench(options: ScaleBenchOptions): Promise<ScaleBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), "toolpacks-scale-"));
  const buildMs: Record<string, number> = {};
  const latencies = new Map<string, { pack: string; tool: string; bySize: Record<string, ToolLatency> }>();
  try {
    for (const size of options.sizes) {
      const build = options.progress.step(`world of ${size.toLocaleString("en-US")} rows`);
      const session = await openPackSession(options.packs, {
        db: join(dir, `world-${size}.sqlite`),
        scale: size,
        seed: options.seed ?? 1,
      });
      buildMs[size] = build.done("generated, migrated and seeded");
      const step = options.progress.step(`read tools at ${size.toLocaleString("en-US")} rows`);
      try {
        for (const pack of session.opened.packs) {
          for (const tool of pack.tools) {
            if (tool.kind !== "read") continue;
            const examples = tool.examples.length > 0 ? tool.examples : [{}];
            const samples: number[] = [];
            let errors = 0;
            // One warm-up call per example: the first call pays for SQLite page cache and JIT.
            for (const example of examples) await session.call(pack.name, tool.name, example);
            for (let i = 0; i < options.iterations; i++) {
              const args = examples[i % examples.length] as Record<string, unknown>;
              const start = performance.now();
              const answer = await session.call(pack.name, tool.name, args);
              samples.push(performance.now() - start);
              if (answer.isError) errors++;
            }
            const key = `${pack.name}.${tool.name}`;
            const entry = latencies.get(key) ?? { pack: pack.name, tool: tool.name, bySize: {} };
            entry.bySize[size] = { ...summarize(samples), errors };
            latencies.set(key, entry);
            step.update(key);
          }
        }
      } finally {
        await session.close();
      }
      step.done(`${latencies.size} tools`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    sizes: options.sizes,
    buildMs,
    tools: [...latencies.values()].map((entry) => ({
      ...entry,
      growth: growthExponent(
        options.sizes.flatMap((rows) => {
          const t = entry.bySize[rows];
          return t ? [{ rows, ms: t.p50 }] : [];
        }),
      ),
    })),
  };
}

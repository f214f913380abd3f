import { openPackSession, type PackSession } from "../packs/session.js";
import type { Progress } from "../progress/progress.js";
import { openWorldPlaces, type ScaleStore, type WorldPlace } from "./scale-worlds.js";
import { growthExponent, summarize, type Timing } from "./stats.js";

/** Options of the pack-answers-at-scale benchmark. */
export interface ScaleBenchOptions {
  /** World sizes in rows, e.g. [1e5, 1e6, 1e7]. */
  sizes: number[];
  packs: string[];
  /** Stores to build the worlds in, side by side; default SQLite only. */
  stores?: ScaleStore[];
  /** Calls per read tool and size (cycling through the tool's examples). */
  iterations: number;
  seed?: number;
  /** A Postgres server for the Postgres worlds; default a throwaway local one. */
  postgresUrl?: string;
  /** Keep built worlds here (and Postgres databases on `postgresUrl`) and reuse them next run. */
  keepWorlds?: string;
  progress: Progress;
}

/** Latency of one read tool on one world size. */
export interface ToolLatency extends Timing {
  /** Calls that answered with a tool error (an example that does not fit this world). */
  errors: number;
}

/** One store's figures for one read tool. */
export interface ToolOnStore {
  bySize: Record<string, ToolLatency>;
  /** Slope of log(p50) over log(rows) between the two largest sizes: 0 flat, 1 linear. */
  growth: number;
}

/** How one store's worlds were made. */
export interface StoreWorlds {
  store: ScaleStore;
  /** Why this store was not measured (e.g. no Postgres here); absent when it was. */
  skipped?: string;
  /** Time to build (generate, migrate, insert) each world, ms; absent for a kept world reused. */
  buildMs: Record<string, number>;
  /** Time to open each world for measuring (pending migrations of the packs included), ms. */
  openMs: Record<string, number>;
  /** Sizes whose world was kept from an earlier run (`--keep-worlds`) and reused. */
  reused: number[];
}

/** Results of the benchmark. */
export interface ScaleBenchResult {
  sizes: number[];
  stores: StoreWorlds[];
  tools: Array<{
    pack: string;
    tool: string;
    byStore: Partial<Record<ScaleStore, ToolOnStore>>;
  }>;
}

type Entry = ScaleBenchResult["tools"][number];

/** Builds the world into `place` unless a kept one is there; returns the build time, or undefined when reused. */
async function ensureWorld(
  place: WorldPlace,
  options: ScaleBenchOptions,
  size: number,
  label: string,
): Promise<number | undefined> {
  if (place.existed) return undefined;
  const build = options.progress.step(`${label}: world of ${size.toLocaleString("en-US")} rows`);
  const session = await openPackSession(options.packs, {
    db: place.buildDb,
    scale: size,
    seed: options.seed ?? 1,
  });
  await session.close();
  await place.built();
  return build.done("generated, migrated and seeded");
}

/** Calls every read tool of the session's packs `iterations` times; records into `latencies`. */
async function timeReadTools(
  session: PackSession,
  options: ScaleBenchOptions,
  store: ScaleStore,
  size: number,
  latencies: Map<string, Entry>,
  onTool: (key: string) => void,
): Promise<void> {
  for (const pack of session.opened.packs) {
    for (const tool of pack.tools) {
      if (tool.kind !== "read") continue;
      const examples = tool.examples.length > 0 ? tool.examples : [{}];
      const samples: number[] = [];
      let errors = 0;
      // One warm-up call per example: the first call pays for the page cache and JIT.
      for (const example of examples) await session.call(pack.name, tool.name, example);
      for (let i = 0; i < options.iterations; i++) {
        const args = examples[i % examples.length] as Record<string, unknown>;
        const start = performance.now();
        const answer = await session.call(pack.name, tool.name, args);
        samples.push(performance.now() - start);
        if (answer.isError) errors++;
      }
      const key = `${pack.name}.${tool.name}`;
      const entry = latencies.get(key) ?? { pack: pack.name, tool: tool.name, byStore: {} };
      const onStore = entry.byStore[store] ?? { bySize: {}, growth: Number.NaN };
      onStore.bySize[size] = { ...summarize(samples), errors };
      entry.byStore[store] = onStore;
      latencies.set(key, entry);
      onTool(key);
    }
  }
}

/** The growth between the two largest sizes measured (the 10^6 -> 10^7 exponent). */
function growthOf(onStore: ToolOnStore, sizes: readonly number[]): number {
  const points = sizes.flatMap((rows) => {
    const t = onStore.bySize[rows];
    return t ? [{ rows, ms: t.p50 }] : [];
  });
  return growthExponent(points.slice(-2));
}

/**
 * Builds a world of each size in each store (SQLite file, Postgres database; reused when kept
 * from an earlier run), then calls every read tool of the packs `iterations` times through its
 * MCP server with the tool's own examples and records p50 and p99. Stores are measured one after
 * the other on the same worlds (same seed), so their figures compare. Timing never fails the run.
 */
export async function runScaleBench(options: ScaleBenchOptions): Promise<ScaleBenchResult> {
  const stores = options.stores ?? ["sqlite"];
  const places = await openWorldPlaces({
    stores,
    ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
    ...(options.keepWorlds ? { keepWorlds: options.keepWorlds } : {}),
  });
  const latencies = new Map<string, Entry>();
  const worlds: StoreWorlds[] = [];
  try {
    for (const store of stores) {
      const made: StoreWorlds = { store, buildMs: {}, openMs: {}, reused: [] };
      worlds.push(made);
      const skipped = places.unavailable(store);
      if (skipped) {
        made.skipped = skipped;
        options.progress.step(`${store}: skipped`).done(skipped);
        continue;
      }
      for (const size of options.sizes) {
        const place = await places.place(store, size, options.seed ?? 1);
        try {
          const built = await ensureWorld(place, options, size, store);
          if (built === undefined) made.reused.push(size);
          else made.buildMs[size] = built;
          const open = performance.now();
          const session = await openPackSession(options.packs, {
            db: place.db,
            scale: size,
            seed: options.seed ?? 1,
          });
          made.openMs[size] = performance.now() - open;
          const step = options.progress.step(`${store}: read tools at ${size.toLocaleString("en-US")} rows`);
          try {
            await timeReadTools(session, options, store, size, latencies, (key) => step.update(key));
          } finally {
            await session.close();
          }
          step.done(`${latencies.size} tools`);
        } finally {
          await place.release();
        }
      }
    }
  } finally {
    await places.close();
  }
  const tools = [...latencies.values()];
  for (const entry of tools) {
    for (const onStore of Object.values(entry.byStore)) onStore.growth = growthOf(onStore, options.sizes);
  }
  return { sizes: options.sizes, stores: worlds, tools };
}

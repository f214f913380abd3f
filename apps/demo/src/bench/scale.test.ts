import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPostgresBin } from "@toolpacks/pack-kit/testing";
import { afterAll, describe, expect, it } from "vitest";
import { ALL_PACKS } from "../packs/session.js";
import { createProgress } from "../progress/progress.js";
import { runScaleBench } from "./scale.js";
import { scaleReport, scaleTable, sideBySideTable, targetVerdicts } from "./scale-report.js";
import { openWorldPlaces } from "./scale-worlds.js";

const quiet = () => {
  const lines: string[] = [];
  return { lines, progress: createProgress({ write: (t: string) => lines.push(t) }) };
};

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("pack answers at scale (smoke run)", () => {
  it("times every read tool of the four packs on each world size and reports how it grows", async () => {
    const { lines, progress } = quiet();
    const result = await runScaleBench({
      sizes: [1_000, 2_000],
      packs: [...ALL_PACKS],
      iterations: 3,
      progress,
    });
    expect(new Set(result.tools.map((t) => t.pack))).toEqual(new Set(ALL_PACKS));
    expect(result.tools.map((t) => t.tool)).toContain("deals_closed");
    expect(result.tools.some((t) => t.tool === "create_follow_up_task")).toBe(false);
    for (const tool of result.tools) {
      const sqlite = tool.byStore.sqlite;
      expect(sqlite?.bySize[1_000]?.samples).toBe(3);
      expect(sqlite?.bySize[2_000]?.p50).toBeGreaterThan(0);
      expect(Number.isFinite(sqlite?.growth)).toBe(true);
      // Every example of every read tool fits the generated world.
      expect(sqlite?.bySize[1_000]?.errors).toBe(0);
    }
    expect(lines.join("")).toContain("world of 2,000 rows");
    expect(scaleTable(result).rows).toHaveLength(result.tools.length);
    expect(scaleReport(result, "test").markdown).toContain("| crm.deals_closed |");
  });

  it.skipIf(!findPostgresBin())(
    "measures SQLite and Postgres side by side on the same worlds, and reuses kept worlds on the next run",
    async () => {
      const keep = await mkdtemp(join(tmpdir(), "toolpacks-scale-keep-"));
      dirs.push(keep);
      const options = {
        sizes: [1_000, 2_000],
        packs: ["crm", "billing"],
        stores: ["sqlite", "postgres"] as ("sqlite" | "postgres")[],
        iterations: 2,
        keepWorlds: keep,
      };
      const first = await runScaleBench({ ...options, progress: quiet().progress });
      expect(first.stores.map((s) => [s.store, s.skipped, s.reused])).toEqual([
        ["sqlite", undefined, []],
        ["postgres", undefined, []],
      ]);
      expect(Object.keys(first.stores[1]?.buildMs ?? {})).toEqual(["1000", "2000"]);
      for (const tool of first.tools) {
        for (const store of ["sqlite", "postgres"] as const) {
          expect(tool.byStore[store]?.bySize[2_000]?.errors, `${tool.pack}.${tool.tool} on ${store}`).toBe(0);
        }
      }
      expect(new Set(first.tools.map((t) => t.pack))).toEqual(new Set(["crm", "billing"]));
      const side = sideBySideTable(first);
      expect(side.header).toEqual([
        "tool",
        "SQLite 2,000 p50 / p99",
        "SQLite growth",
        "Postgres 2,000 p50 / p99",
        "Postgres growth",
      ]);
      expect(targetVerdicts(first).map((v) => v.store)).toEqual(["sqlite", "postgres"]);
      const markdown = scaleReport(first, "test").markdown;
      expect(markdown).toContain("## Side by side at 2,000 rows");
      expect(markdown).toContain("## Postgres");

      // The SQLite worlds were kept; the throwaway Postgres server's were not (it is gone).
      const second = await runScaleBench({ ...options, stores: ["sqlite"], progress: quiet().progress });
      expect(second.stores[0]?.reused).toEqual([1_000, 2_000]);
      expect(second.stores[0]?.buildMs).toEqual({});
      expect(scaleReport(second, "test").markdown).toContain("10^3 kept world reused");
    },
    600_000,
  );

  it("never takes a build that was cut off for a finished world", async () => {
    const keep = await mkdtemp(join(tmpdir(), "toolpacks-scale-cut-"));
    dirs.push(keep);
    await writeFile(join(keep, "world-1000-s1.sqlite.building"), "half a world");
    const places = await openWorldPlaces({ stores: ["sqlite"], keepWorlds: keep });
    const place = await places.place("sqlite", 1_000, 1);
    expect(place.existed).toBe(false);
    // The leftover is cleared before a new build starts.
    expect(existsSync(place.buildDb)).toBe(false);
    await writeFile(place.buildDb, "finished");
    await place.built();
    expect(existsSync(place.db)).toBe(true);
    const again = await (await openWorldPlaces({ stores: ["sqlite"], keepWorlds: keep })).place(
      "sqlite",
      1_000,
      1,
    );
    expect(again.existed).toBe(true);
    await places.close();
  });
});

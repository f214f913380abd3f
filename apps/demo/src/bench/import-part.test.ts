import { findPostgresBin } from "@toolpacks/pack-kit/testing";
import { describe, expect, it } from "vitest";
import { createProgress } from "../progress/progress.js";
import { importReport, importTable, runImportBench } from "./import-part.js";

describe("import throughput (smoke run)", () => {
  it("imports a HubSpot export of the asked size into each store and reports rows per second", async () => {
    const stores = findPostgresBin() ? (["sqlite", "postgres"] as const) : (["sqlite"] as const);
    const result = await runImportBench({
      rows: 2_000,
      stores: [...stores],
      progress: createProgress({ write: () => {} }),
    });
    expect(result.figures.map((f) => f.store)).toEqual([...stores]);
    for (const figure of result.figures) {
      expect(figure.skipped).toBeUndefined();
      // Every company, deal and line item of the clean export lands (plus the owners it names).
      expect(figure.rejected).toBe(0);
      expect(figure.inserted).toBeGreaterThanOrEqual(2_000);
      expect(figure.rowsPerSecond).toBeGreaterThan(0);
    }
    expect(importTable(result).rows).toHaveLength(stores.length);
    expect(importReport(result, "test").markdown).toContain("2,000-row HubSpot export");
  }, 300_000);
});

import { describe, expect, it } from "vitest";
import { ALL_PACKS } from "../packs/session.js";
import { createProgress } from "../progress/progress.js";
import { runScaleBench } from "./scale.js";
import { scaleReport, scaleTable } from "./scale-report.js";

describe("pack answers at scale (smoke run)", () => {
  it("times every read tool of the four packs on each world size and reports how it grows", async () => {
    const lines: string[] = [];
    const result = await runScaleBench({
      sizes: [1_000, 2_000],
      packs: [...ALL_PACKS],
      iterations: 3,
      progress: createProgress({ write: (t: string) => lines.push(t) }),
    });
    expect(new Set(result.tools.map((t) => t.pack))).toEqual(new Set(ALL_PACKS));
    expect(result.tools.map((t) => t.tool)).toContain("deals_closed");
    expect(result.tools.some((t) => t.tool === "create_follow_up_task")).toBe(false);
    for (const tool of result.tools) {
      expect(tool.bySize[1_000]?.samples).toBe(3);
      expect(tool.bySize[2_000]?.p50).toBeGreaterThan(0);
      expect(Number.isFinite(tool.growth)).toBe(true);
      // Every example of every read tool fits the generated world.
      expect(tool.bySize[1_000]?.errors).toBe(0);
    }
    expect(lines.join("")).toContain("world of 2,000 rows");
    const table = scaleTable(result);
    expect(table.rows).toHaveLength(result.tools.length);
    expect(scaleReport(result, "test").markdown).toContain("| crm.deals_closed |");
  });
});

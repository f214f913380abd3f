import { describe, expect, it } from "vitest";
import { TASKS } from "../economics/tasks/index.js";
import { createProgress } from "../progress/progress.js";
import { runTokensPart } from "./tokens-part.js";

describe("token economics (smoke run)", () => {
  it("runs every task both ways on a small world, with matching answers and one code-mode round-trip", async () => {
    const { result, table, report } = await runTokensPart({
      tasks: TASKS,
      footprintPacks: ["crm", "erp", "billing"],
      scale: 1_000,
      seed: 1,
      progress: createProgress({ write: () => true }),
      command: "test",
    });
    expect(result.tasks).toHaveLength(TASKS.length);
    for (const task of result.tasks) {
      expect(task.sameAnswer).toBe(true);
      expect(task.codeMode.roundTrips).toBe(1);
      expect(task.classic.roundTrips).toBe(task.classic.toolCalls + 1);
      expect(task.codeMode.toolCalls).toBe(task.classic.toolCalls);
      // Search mode looks each used tool up once, in the same turn, then writes the program.
      expect(task.searchMode.roundTrips).toBe(2);
      expect(task.searchMode.searches).toBeGreaterThan(0);
      expect(task.searchMode.searches).toBeLessThanOrEqual(task.codeMode.toolCalls);
    }
    expect(result.summary.medianReduction).toBeGreaterThan(0);
    // Offered every pack, classic pays the extra schemas every round-trip, code mode once.
    for (const [i, d] of result.deployment.entries()) {
      const task = result.tasks[i];
      expect(d.id).toBe(task?.id);
      expect(d.classicTokens).toBeGreaterThanOrEqual(task?.classic.totalTokens ?? Number.NaN);
      expect(d.classicTokens - (task?.classic.totalTokens ?? 0)).toBeGreaterThanOrEqual(
        d.codeTokens - (task?.codeMode.totalTokens ?? 0),
      );
    }
    expect(result.footprint.packs).toEqual(expect.arrayContaining(["crm", "erp", "warehouse", "billing"]));
    expect(result.footprint.searchMode).toBeLessThan(result.footprint.allDeclarations);
    expect(table).toContain("create-missing-orders");
    expect(report.markdown).toContain("Median reduction");
    expect(report.markdown).toContain("Median reduction in search mode");
    expect(report.markdown).toContain("Median reduction for the whole deployment");
  });
});

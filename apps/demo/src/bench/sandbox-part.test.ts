import { describe, expect, it } from "vitest";
import { createProgress } from "../progress/progress.js";
import { runSandboxPart } from "./sandbox-part.js";

describe("sandbox overhead (smoke run)", () => {
  it("measures the embedded executor, and the same on a worker thread, beside the unsandboxed baseline", async () => {
    const { rows, table, report } = await runSandboxPart({
      runs: 20,
      calls: 50,
      progress: createProgress({ write: () => true }),
      command: "test",
      intake: { samples: 1, bytes: 4096 },
    });
    expect(rows.map((r) => r.executor)).toEqual(expect.arrayContaining(["quickjs", "quickjs-thread"]));
    expect(rows[0]?.executor).toMatch(/in-process/);
    for (const row of rows) {
      expect(row.runP50Ms).toBeGreaterThan(0);
      expect(row.runsPerSecond).toBeGreaterThan(0);
    }
    expect(table.rows).toHaveLength(rows.length);
    expect(report.markdown).toContain("| quickjs |");
    expect(report.markdown).toContain("## Intake worst case");
    expect(report.markdown).toContain("| deep parentheses |");
  });
});

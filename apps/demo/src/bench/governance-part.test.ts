import { describe, expect, it } from "vitest";
import { createProgress } from "../progress/progress.js";
import { runGovernancePart } from "./governance-part.js";

describe("governed-write overhead (smoke run)", () => {
  it("measures the bare bridge and governed writes with no sink, a memory sink and a synced JSONL file", async () => {
    const { rows, table, report } = await runGovernancePart({
      calls: 40,
      progress: createProgress({ write: () => true }),
      command: "test",
    });
    expect(rows.map((r) => r.setup)).toEqual([
      "bridge only, no governance",
      "governed, no audit sink",
      "governed, memory audit sink",
      "governed, JSONL file sink (fdatasync)",
      "governed, JSONL file sink, 32 calls in parallel",
    ]);
    for (const row of rows) expect(row.p99Ms).toBeGreaterThanOrEqual(row.p50Ms);
    expect(table.rows).toHaveLength(5);
    expect(report.markdown).toContain("write-ahead audit in memory");
  });
});

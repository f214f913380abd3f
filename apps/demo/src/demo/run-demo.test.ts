import { describe, expect, it } from "vitest";
import { createProgress } from "../progress/progress.js";
import { renderDemo } from "./render.js";
import { runDemo } from "./run-demo.js";

describe("the demo (small world)", () => {
  it("runs order to cash in code mode, re-runs it without new rows, and prices the classic way", async () => {
    const lines: string[] = [];
    const run = await runDemo({
      scale: 2_000,
      seed: 1,
      progress: createProgress({ write: (t: string) => lines.push(t) }),
    });
    expect(run.answer.deals_won).toBeGreaterThan(0);
    expect(run.calls.some((c) => c.kind === "write")).toBe(true);
    expect(run.reruns).toHaveLength(2);
    for (const rerun of run.reruns) expect(rerun.newRows).toBe(0);
    expect(run.codeMode.roundTrips).toBe(1);
    expect(run.classic.roundTrips).toBe(run.codeMode.toolCalls + 1);
    const text = renderDemo(run);
    expect(text).toContain("What the program read");
    expect(text).toContain("What it wrote");
    expect(text).toContain("fewer tokens");
    expect(text).toMatch(/total \d+\.\d s/);
    // Not a terminal: progress comes as plain lines, no escape codes.
    expect(lines.join("")).not.toContain("\x1b");
  });
});

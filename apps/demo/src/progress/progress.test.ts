import { describe, expect, it } from "vitest";
import { createProgress } from "./progress.js";

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  let now = 0;
  const progress = createProgress({ write: (t: string) => chunks.push(t), isTTY }, () => now);
  return { chunks, progress, tick: (ms: number) => (now += ms) };
}

describe("createProgress", () => {
  it("writes plain lines without escape codes when the output is not a terminal", () => {
    const { chunks, progress, tick } = capture(false);
    const step = progress.step("seeding");
    tick(1500);
    step.update("crm");
    step.done("4 packs");
    const text = chunks.join("");
    expect(text).not.toContain("\x1b");
    expect(text).toBe("  … seeding\n    seeding: crm\n  ✓ seeding (4 packs, 1.5 s)\n");
  });

  it("drops plain updates that come faster than once a second", () => {
    const { chunks, progress, tick } = capture(false);
    const step = progress.step("calls");
    for (let i = 0; i < 10; i++) {
      tick(100);
      step.update(`${i}`);
    }
    expect(chunks.filter((c) => c.startsWith("    calls")).length).toBe(1);
  });

  it("rewrites one line in place on a terminal", () => {
    const { chunks, progress } = capture(true);
    const step = progress.step("seeding");
    step.update("erp");
    step.done();
    expect(chunks[1]).toBe("\r\x1b[2K  … seeding: erp");
    expect(chunks[2]?.startsWith("\r\x1b[2K  ✓ seeding")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { openCodeModeSession } from "../codemode/session.js";
import { ALL_PACKS } from "../packs/session.js";
import { loadOrderToCashProgram } from "./program.js";

describe("examples/order-to-cash.ts", () => {
  it("type-checks against the typed declarations of the four packs before it runs", async () => {
    const session = await openCodeModeSession(ALL_PACKS, { scale: 1_000 });
    try {
      const run = await session.codeMode.execute(await loadOrderToCashProgram(), { typecheck: true });
      expect(run.error?.diagnostics ?? []).toEqual([]);
      expect(run.ok).toBe(true);
    } finally {
      await session.close();
    }
  });
});

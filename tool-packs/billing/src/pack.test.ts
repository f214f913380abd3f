import { describePackConformance } from "@toolpacks/pack-kit/testing";
import { describe, expect, it } from "vitest";
import { createBillingPack, pack } from "./pack.js";
import { FULL_PAGES_WORLD, fullPageCalls } from "./testing/full-pages.js";

// Examples name ids of the world with seed 1 (the conformance world). Largest pages are checked
// on a 10^5-row world, where every paged tool's pages fill up, id lists with overdue accounts.
describePackConformance(pack, {
  world: { scale: 1_000, seed: 1 },
  fullPages: { world: FULL_PAGES_WORLD, calls: fullPageCalls() },
});

describe("createBillingPack", () => {
  it("leaves the write tools out when read-only", () => {
    const names = createBillingPack({ readOnly: true }).tools.map((t) => t.name);
    expect(names).not.toContain("invoice_order");
    expect(names).toContain("check_overdue_accounts");
    expect(pack.tools.filter((t) => t.kind === "write").map((t) => t.name)).toEqual([
      "invoice_order",
      "record_payment",
      "issue_credit_note",
    ]);
  });

  it("declares what every write moves for runtime budgets (each billing write moves money)", () => {
    for (const tool of pack.tools.filter((t) => t.kind === "write")) {
      expect(tool.moves, tool.name).toHaveProperty("sum");
      expect(tool.scope).toBe("billing:write");
    }
  });
});

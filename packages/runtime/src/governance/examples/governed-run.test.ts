import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { governedRun } from "./governed-run.js";

describe("README governance example (src/governance/examples/governed-run.ts)", () => {
  it("approves the small invoice, rejects the large one, and refuses a read-only role up front", async () => {
    const clerk = await governedRun("clerk");
    expect(clerk.run.result).toEqual(["inv_1_acme", "APPROVAL_REJECTED"]);
    expect(clerk.audit.sort()).toEqual([
      "intent create_invoice approved pending",
      "outcome create_invoice approved ok",
      "outcome create_invoice rejected APPROVAL_REJECTED",
    ]);
    const viewer = await governedRun("viewer");
    expect(viewer.run).toMatchObject({ ok: false, error: { code: "PREFLIGHT_REFUSED" } });
    expect(viewer.audit).toEqual([]);
  });

  it("is quoted verbatim in the README", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("./governed-run.ts", import.meta.url), "utf8");
    expect(readme).toContain(example.trim());
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTool } from "../tool/define-tool.js";
import { ledgerPack } from "./fixtures/ledger-pack.js";
import { countUpIds, fullPageCalls, unbudgetedPack } from "./full-pages.js";

const lookup = (examples: Array<{ ids: string[] }>) =>
  defineTool({
    name: "status_of",
    title: "Status of",
    description: "Returns the status of up to 20 records by id.",
    input: z.object({ ids: z.array(z.string().describe("id")).min(1).max(20).describe("record ids") }),
    output: z.object({ n: z.number() }),
    scope: "x:read",
    budgetTokens: 100,
    examples,
    handler: async ({ ids }) => ({ n: ids.length }),
  });

describe("countUpIds", () => {
  it("counts up the trailing number, keeping its width and the ids given", () => {
    expect(countUpIds(["SO-0000009", "SO-9999999"], 4)).toEqual([
      "SO-0000009",
      "SO-9999999",
      "SO-0000010",
      "SO-0000011",
    ]);
  });
  it("gives up on ids without a trailing number", () => {
    expect(countUpIds(["north-wind"], 3)).toBeUndefined();
    expect(countUpIds(["a", "b"], 2)).toEqual(["a", "b"]);
  });
});

describe("fullPageCalls", () => {
  it("asks for the largest limit on every example", () => {
    const summary = ledgerPack.tool("spend_by_category")!;
    expect(fullPageCalls(summary).map((c) => c.args)).toEqual([
      { year: 2025, limit: 50 },
      { year: 2025, category: "software", limit: 50 },
    ]);
  });
  it("fills an id list to its max length for a tool without limit", () => {
    const [call] = fullPageCalls(lookup([{ ids: ["R-001"] }]));
    expect(call?.label).toBe("ids: 20 ids");
    expect(call?.args["ids"]).toHaveLength(20);
    expect(new Set(call?.args["ids"] as string[]).size).toBe(20);
  });
  it("says how to pass the call when the ids cannot be counted up", () => {
    expect(() => fullPageCalls(lookup([{ ids: ["alpha"] }]))).toThrow(/fullPages: \{ calls: \{ status_of/);
  });
  it("skips write tools and reads with no page size", () => {
    expect(fullPageCalls(ledgerPack.tool("record_entry")!)).toEqual([]);
    expect(fullPageCalls(ledgerPack.tool("get_entry")!)).toEqual([]);
  });
});

describe("unbudgetedPack", () => {
  it("lifts every budget and keeps the tools", () => {
    const lifted = unbudgetedPack(ledgerPack);
    expect(lifted.tools.map((t) => t.name)).toEqual(ledgerPack.tools.map((t) => t.name));
    expect(lifted.tools.every((t) => t.budgetTokens === Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(ledgerPack.tool("get_entry")!.budgetTokens).toBe(200);
  });
});

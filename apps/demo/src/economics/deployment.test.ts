import { describe, expect, it } from "vitest";
import { deploymentCost } from "./deployment.js";
import type { Footprint } from "./footprint.js";
import type { TaskEconomics } from "./run-suite.js";

const footprint: Footprint = {
  allDeclarations: 3_000,
  executeWithDeclarations: 3_200,
  searchMode: 200,
  classicSchemas: 5_000,
  packs: ["crm", "erp"],
  tools: 20,
};

const task = {
  id: "t",
  title: "t",
  packs: ["crm"],
  shape: { packs: "single-pack", effect: "read" },
  classic: {
    roundTrips: 4,
    inputTokens: 9_900,
    outputTokens: 100,
    toolCalls: 3,
    toolSchemaTokens: 2_000,
    totalTokens: 10_000,
  },
  codeMode: {
    roundTrips: 1,
    inputTokens: 1_800,
    outputTokens: 100,
    resultTokens: 100,
    toolDefinitionTokens: 1_600,
    toolCalls: 3,
    totalTokens: 2_000,
    wallMs: 1,
  },
  reduction: 0.8,
  searchMode: {
    roundTrips: 2,
    inputTokens: 900,
    outputTokens: 50,
    resultTokens: 50,
    toolDefinitionTokens: 150,
    searches: 1,
    misses: 0,
    totalTokens: 1_000,
    reduction: 0.9,
  },
  sameAnswer: true,
} satisfies TaskEconomics;

describe("deploymentCost", () => {
  it("swaps the task's tool definitions for the deployment's: every round-trip in classic, once in code mode", () => {
    const d = deploymentCost(task, footprint);
    expect(d.classicTokens).toBe(10_000 + 4 * (5_000 - 2_000));
    expect(d.codeTokens).toBe(2_000 - 1_600 + 3_200);
    expect(d.searchTokens).toBe(1_000 + 2 * (200 - 150));
    expect(d.reduction).toBeCloseTo(1 - 3_600 / 22_000);
    expect(d.searchReduction).toBeCloseTo(1 - 1_100 / 22_000);
  });

  it("refuses a task whose packs the deployment does not cover", () => {
    expect(() => deploymentCost({ ...task, packs: ["billing"] }, footprint)).toThrow(/billing/);
  });
});

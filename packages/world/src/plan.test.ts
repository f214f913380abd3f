import { describe, expect, it } from "vitest";
import { WorldOptionsError } from "./errors.js";
import { resolveWorldOptions, worldPlan } from "./plan.js";
import { createWorld } from "./world.js";

describe("world options", () => {
  it("refuses scales outside 1_000..10_000_000 with the allowed range in the message", () => {
    for (const scale of [0, 999, 10_000_001, 1.5, Number.NaN]) {
      expect(() => worldPlan(scale)).toThrow(WorldOptionsError);
    }
    expect(() => worldPlan(10)).toThrow(/from 1000 to 10000000/);
  });

  it("refuses an impossible asOf date and says how to write one", () => {
    expect(() => createWorld({ scale: 1_000, asOf: "2026-02-30" })).toThrow(/YYYY-MM-DD/);
    expect(() => createWorld({ scale: 1_000, asOf: "June" })).toThrow(
      expect.objectContaining({ code: "WORLD_INVALID_AS_OF" }),
    );
  });

  it("refuses seeds that are not safe integers", () => {
    expect(() => resolveWorldOptions({ scale: 1_000, seed: 0.5 })).toThrow(WorldOptionsError);
  });

  it("keeps large seeds distinct from small ones", () => {
    expect(resolveWorldOptions({ scale: 1_000, seed: 2 ** 32 + 1 }).seed).not.toBe(
      resolveWorldOptions({ scale: 1_000, seed: 1 }).seed,
    );
  });

  it("refuses reversed or fractional slices and unknown deal indexes", () => {
    const world = createWorld({ scale: 1_000 });
    expect(() => [...world.crm.deals({ start: 5, end: 2 })]).toThrow(WorldOptionsError);
    expect(() => [...world.crm.deals({ start: 0.5 })]).toThrow(/integers/);
    expect(() => world.crm.dealAt(world.plan.deals)).toThrow(/deals 0 to/);
  });
});

import { describe, expect, it } from "vitest";
import { entityRng, entityState, Rng } from "./random.js";

describe("seeded randomness", () => {
  it("replays the same numbers for the same (seed, kind, index)", () => {
    const a = entityRng(7, "deal", 42);
    const b = entityRng(7, "deal", 42);
    const xs = Array.from({ length: 50 }, () => a.float());
    expect(Array.from({ length: 50 }, () => b.float())).toEqual(xs);
  });

  it("gives different streams to neighbouring seeds, kinds and indexes", () => {
    const states = new Set<number>();
    for (const seed of [1, 2])
      for (const kind of ["deal", "contact"])
        for (let i = 0; i < 1000; i++) states.add(entityState(seed, kind, i));
    expect(states.size).toBe(4000);
  });

  it("pins the first numbers so a change to the generator cannot go unnoticed", () => {
    const r = new Rng(1);
    expect(Array.from({ length: 3 }, () => Math.round(r.float() * 1e9))).toMatchInlineSnapshot(`
      [
        627073941,
        2735721,
        527447040,
      ]
    `);
  });

  it("keeps floats in [0, 1) and integers within their bounds", () => {
    const r = entityRng(3, "bounds", 0);
    for (let i = 0; i < 10_000; i++) {
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
      const n = r.int(-2, 2);
      expect(n >= -2 && n <= 2).toBe(true);
      expect(r.skewedIndex(5, 2)).toBeLessThan(5);
    }
  });

  it("skews towards low indexes when asked", () => {
    const r = entityRng(3, "skew", 0);
    let low = 0;
    for (let i = 0; i < 10_000; i++) if (r.skewedIndex(100, 2) < 10) low++;
    // P(u^2 < 0.1) = sqrt(0.1) ~ 0.32, three times the uniform 0.1.
    expect(low / 10_000).toBeGreaterThan(0.28);
    expect(low / 10_000).toBeLessThan(0.36);
  });
});

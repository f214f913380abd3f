import { describe, expect, it } from "vitest";
import { growthExponent, percentile, summarize } from "./stats.js";

describe("timing statistics", () => {
  it("takes the nearest-rank percentile so p99 of 100 samples is the 99th", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it("summarizes unsorted samples", () => {
    expect(summarize([3, 1, 2])).toEqual({ samples: 3, p50: 2, p99: 3, mean: 2 });
  });

  it("reads flat latency as exponent 0 and linear growth as 1", () => {
    expect(
      growthExponent([
        { rows: 1e3, ms: 2 },
        { rows: 1e6, ms: 2 },
      ]),
    ).toBeCloseTo(0);
    expect(
      growthExponent([
        { rows: 1e3, ms: 1 },
        { rows: 1e4, ms: 5 },
        { rows: 1e6, ms: 1000 },
      ]),
    ).toBeCloseTo(1);
    expect(growthExponent([{ rows: 1e3, ms: 1 }])).toBeNaN();
  });
});

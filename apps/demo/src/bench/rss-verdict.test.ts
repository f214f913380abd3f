import { describe, expect, it } from "vitest";
import { rssVerdict } from "./rss-verdict.js";

describe("rssVerdict", () => {
  it("calls steady samples flat, whatever the warm-up did", () => {
    const samples = [100, 300, 500, ...Array.from({ length: 30 }, (_, i) => 600 + (i % 3) * 10)];
    expect(rssVerdict(samples, 3)).toMatchObject({ verdict: "flat", samples: 30 });
  });

  it("calls a climb that levels off a plateau, and a steady climb growing", () => {
    const levels = Array.from({ length: 30 }, (_, i) => Math.min(600 + i * 20, 900));
    expect(rssVerdict(levels, 0).verdict).toBe("plateau");
    const climb = Array.from({ length: 30 }, (_, i) => 600 + i * 20);
    const v = rssVerdict(climb, 0);
    expect(v.verdict).toBe("growing");
    expect(v.growth).toBeGreaterThan(0.5);
  });

  it("never calls a run still climbing at its end flat, even when its total rise is small", () => {
    // +0.5% a sample: under 10% between the first and last thirds of 18 samples, yet rising.
    const slow = Array.from({ length: 18 }, (_, i) => 500 * 1.005 ** i);
    expect(rssVerdict(slow, 0).growth).toBeLessThan(0.1);
    expect(rssVerdict(slow, 0).verdict).not.toBe("flat");
  });

  it("says when there is too little to judge", () => {
    expect(rssVerdict([1, 2, 3, 4, 5], 0).verdict).toBe("too few samples");
  });
});

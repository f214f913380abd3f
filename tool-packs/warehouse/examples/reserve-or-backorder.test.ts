import { describe, expect, it } from "vitest";
import { main } from "./reserve-or-backorder.js";

describe("the README example", () => {
  it("reserves and ships the order that fits, and reports what to buy for the one that does not", async () => {
    const result = await main();
    expect(result.reserved.reduce((n, a) => n + a.quantity, 0)).toBe(6);
    expect(result.shipments.reduce((n, s) => n + s.units, 0)).toBe(6);
    expect(result.backorder).toHaveLength(1);
    expect(result.backorder[0]!.buy).toBeGreaterThan(0);
  });
});

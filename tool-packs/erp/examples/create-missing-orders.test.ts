import { describe, expect, it } from "vitest";
import { main } from "./create-missing-orders.js";

describe("the README example", () => {
  it("creates one confirmed order per closed-won deal that had none, and none on a second look", async () => {
    const result = await main();
    expect(result.created.length).toBeGreaterThan(0);
    expect(result.created.every((id) => /^SO-\d+$/.test(id))).toBe(true);
    expect(result.open_orders).toBeGreaterThanOrEqual(result.created.length);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededWarehouse, seededWarehouse } from "../testing/seeded-warehouse.js";

let wh: SeededWarehouse;
beforeAll(async () => {
  wh = await seededWarehouse();
});
afterAll(() => wh.close());

interface Answer {
  whole_order_from: string[];
  whole_order_if_split: boolean;
  short_lines: number;
  lines: Array<{
    sku: string;
    available: number;
    can_serve: boolean;
    short_by: number;
    locations: Array<{ location_id: string; available: number }>;
  }>;
}

describe("available_to_promise", () => {
  it("adds up available stock per SKU and location like the world, and names the locations serving all", async () => {
    const stock = [...wh.world.warehouse.stock()];
    const lines = [
      { sku: "SKU-00001", quantity: 40 },
      { sku: "SKU-00005", quantity: 3 },
    ];
    const answer = await wh.ask<Answer>("available_to_promise", { lines });
    const avail = (sku: string, loc?: string) =>
      stock
        .filter((s) => s.sku === sku && (!loc || s.location_id === loc))
        .reduce((n, s) => n + s.on_hand - s.reserved, 0);
    for (const [i, l] of lines.entries()) {
      expect(answer.lines[i]).toMatchObject({
        sku: l.sku,
        available: avail(l.sku),
        can_serve: avail(l.sku) >= l.quantity,
      });
    }
    const locations = [...new Set(stock.map((s) => s.location_id))];
    const serving = locations.filter((loc) => lines.every((l) => avail(l.sku, loc) >= l.quantity));
    expect([...answer.whole_order_from].sort()).toEqual(serving.sort());
  });

  it("says how many units are short when the order is too big", async () => {
    const answer = await wh.ask<Answer>("available_to_promise", {
      lines: [{ sku: "SKU-00002", quantity: 900_000 }],
    });
    expect(answer).toMatchObject({ whole_order_from: [], whole_order_if_split: false, short_lines: 1 });
    expect(answer.lines[0]!.short_by).toBe(900_000 - answer.lines[0]!.available);
  });

  it("explains unknown SKUs and unknown locations", async () => {
    expect((await wh.fail("available_to_promise", { lines: [{ sku: "SKU-99999", quantity: 1 }] })).code).toBe(
      "unknown_sku",
    );
    const location = await wh.fail("available_to_promise", {
      lines: [{ sku: "SKU-00001", quantity: 1 }],
      location_id: "WH-99",
    });
    expect(location.text).toContain("WH-01");
  });
});

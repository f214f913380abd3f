import { describe, expect, it } from "vitest";
import { planAllocation } from "./allocate.js";
import type { StockRow } from "./stock.js";

const row = (sku: string, location_id: string, available: number): StockRow => ({
  sku,
  location_id,
  on_hand: available + 1,
  reserved: 1,
  available,
});
const stock = [row("A", "WH-01", 10), row("A", "WH-02", 4), row("B", "WH-01", 1), row("B", "WH-02", 8)];

describe("planAllocation", () => {
  it("serves the whole order from one location when one can", () => {
    const plan = planAllocation(
      [
        { sku: "A", quantity: 3 },
        { sku: "B", quantity: 5 },
      ],
      stock,
      { split: true },
    );
    expect(plan).toEqual({
      ok: true,
      single_location: "WH-02",
      allocations: [
        { sku: "A", location_id: "WH-02", quantity: 3 },
        { sku: "B", location_id: "WH-02", quantity: 5 },
      ],
    });
  });

  it("splits a line across locations, most available first, when no one location can serve all", () => {
    const plan = planAllocation(
      [
        { sku: "A", quantity: 12 },
        { sku: "B", quantity: 2 },
      ],
      stock,
      { split: true },
    );
    expect(plan).toEqual({
      ok: true,
      single_location: null,
      allocations: [
        { sku: "A", location_id: "WH-01", quantity: 10 },
        { sku: "A", location_id: "WH-02", quantity: 2 },
        { sku: "B", location_id: "WH-02", quantity: 2 },
      ],
    });
  });

  it("reports every short line and allocates nothing when any line cannot be served", () => {
    const plan = planAllocation(
      [
        { sku: "A", quantity: 20 },
        { sku: "B", quantity: 2 },
      ],
      stock,
      { split: true },
    );
    expect(plan).toEqual({
      ok: false,
      reason: "short",
      shortages: [
        {
          sku: "A",
          requested: 20,
          available: 14,
          short_by: 6,
          best_location_id: "WH-01",
          best_location_available: 10,
        },
      ],
    });
  });

  it("names where a SKU with nothing available is stocked (to restock it), and null when nowhere stocks it", () => {
    const empty = [
      { sku: "Z", location_id: "WH-09", on_hand: 5, reserved: 5, available: 0 },
      { sku: "Z", location_id: "Main Warehouse", on_hand: 3, reserved: 3, available: 0 },
    ];
    const plan = planAllocation(
      [
        { sku: "Z", quantity: 2 },
        { sku: "NEW", quantity: 1 },
      ],
      empty,
      { split: true },
    );
    expect(plan).toMatchObject({
      ok: false,
      shortages: [
        { sku: "Z", short_by: 2, best_location_id: "Main Warehouse", best_location_available: 0 },
        { sku: "NEW", short_by: 1, best_location_id: null, best_location_available: 0 },
      ],
    });
  });

  it("refuses to split when told not to, and keeps to a forced location", () => {
    expect(planAllocation([{ sku: "A", quantity: 12 }], stock, { split: false })).toMatchObject({
      ok: false,
      reason: "short",
    });
    expect(
      planAllocation(
        [
          { sku: "A", quantity: 9 },
          { sku: "B", quantity: 7 },
        ],
        stock,
        { split: false },
      ),
    ).toEqual({
      ok: false,
      reason: "no_single_location",
      shortages: [],
    });
    expect(planAllocation([{ sku: "B", quantity: 2 }], stock, { split: true, only: "WH-01" })).toMatchObject({
      ok: false,
      shortages: [{ sku: "B", short_by: 1 }],
    });
  });
});

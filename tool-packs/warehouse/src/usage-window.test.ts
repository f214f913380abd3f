import { type Connector, type DomainRow, runImport } from "@toolpacks/pack-kit";
import { openTestStore } from "@toolpacks/pack-kit/testing";
import { describe, expect, it } from "vitest";
import { pack } from "./pack.js";

const row = (table: string, sourceId: string, values: DomainRow["values"]): DomainRow => ({
  table,
  sourceId,
  values,
  origin: { file: "wms.json", line: 1 },
});

/** A connector of a warehouse system that also sends each stock row's "issued" figure. */
function wmsConnector(stock: DomainRow["values"]): Connector {
  return {
    name: "wms",
    system: "wms",
    description: "test: a warehouse system export",
    pull: () => [
      {
        rows: [
          row("wh_locations", "L1", { id: "WH-9", name: "Annex", city: "Lyon", country: "FR" }),
          row("wh_items", "I1", {
            sku: "SKU-1",
            name: "Pump",
            category: "Pumps",
            unit_cost_minor: 100,
            currency: "USD",
          }),
          row("wh_stock", "S1", {
            sku: "SKU-1",
            location_id: "WH-9",
            on_hand: 4,
            reserved: 0,
            reorder_point: 10,
            ...stock,
          }),
        ],
        rejected: [],
      },
    ],
  };
}

describe("the kept usage figure (wh_stock.issued_window)", () => {
  it("cannot be set by an import: a connector sending it is refused and nothing is written", async () => {
    // Written from outside it would stand wrong until the triggers next recount that row, and
    // low_stock's suggested quantities would follow it.
    const store = await openTestStore();
    try {
      await expect(
        runImport(store, pack, wmsConnector({ issued_window: 999 }), [], undefined),
      ).rejects.toMatchObject({
        code: "kept_column",
        message: expect.stringMatching(/wh_stock\.issued_window/),
      });
      expect(await store.first("SELECT COUNT(*) AS n FROM wh_stock")).toEqual({ n: 0 });
      // The same export without it imports; the figure is the pack's own count.
      expect(await runImport(store, pack, wmsConnector({}), [], undefined)).toMatchObject({
        inserted: 3,
        rejected: 0,
      });
      expect(await store.all("SELECT sku, issued_window FROM wh_stock")).toEqual([
        { sku: "SKU-1", issued_window: 0 },
      ]);
    } finally {
      await store.close();
    }
  });
});

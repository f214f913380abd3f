import { readFileSync } from "node:fs";
import { runImport, type SourceFile } from "@toolpacks/pack-kit";
import { openTestStore } from "@toolpacks/pack-kit/testing";
import { describe, expect, it } from "vitest";
import { pack } from "../../pack.js";
import { describeErpImport, ERP_AS_OF } from "../fixtures/describe-erp-import.js";
import { erpnextFixture, erpnextOrderId } from "./fixtures/generate.js";
import { erpnextConnector } from "./index.js";

const NAMES = ["Customer.csv", "Supplier.csv", "Item.csv", "Sales Order.csv", "Purchase Order.csv"];

function exportFiles(names = NAMES): SourceFile[] {
  return names.map((name) => ({
    name,
    text: readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"),
  }));
}

describeErpImport("erpnext", erpnextConnector, exportFiles, erpnextFixture().truth, erpnextOrderId);

describe("erpnext import: rejected rows and disabled items", () => {
  it("rejects bad cells with file, line and column, leaves disabled items out", async () => {
    const items =
      "ID,Item Name,Item Group,Disabled,Valuation Rate,Standard Selling Rate,Default Supplier (Item Defaults)\n" +
      "DESK-1,Desk,Furniture,0,120.0,200.0,Acme\n" +
      "OLD-1,Old desk,Furniture,1,1.0,2.0,Acme\n" +
      "LAMP-1,Lamp,Lighting,0,12.5.0,20.0,Acme\n" +
      "CHAIR-1,Chair,Furniture,0,50.0,80.0,\n";
    const orders =
      "ID,Customer,Date,Currency,Status,ID (Items),Item Code (Items),Quantity (Items),Rate (Items)\n" +
      "SAL-ORD-1,Contoso,2026-11-31,USD,Draft,a1,DESK-1,1.0,200.0\n" +
      "SAL-ORD-2,Contoso,2026-11-03,JPY,Draft,a2,DESK-1,1.0,20000\n" +
      "SAL-ORD-3,Contoso,2026-11-03,USD,To Deliver and Bill,a3,DESK-1,2.0,200.0\n" +
      ",,,,,a4,DESK-1,1.0,190.0\n";
    const store = await openTestStore();
    try {
      const report = await runImport(
        store,
        pack,
        erpnextConnector,
        [
          { name: "Item.csv", text: items },
          { name: "Sales Order.csv", text: orders },
        ],
        undefined,
        { asOf: ERP_AS_OF },
      );
      expect(report.rejections.map((r) => [r.file, r.line, r.column])).toEqual([
        ["Item.csv", 4, "Valuation Rate"],
        ["Item.csv", 5, "Default Supplier (Item Defaults)"],
        ["Sales Order.csv", 2, "Date"],
        ["Sales Order.csv", 3, "Currency"],
      ]);
      expect(await store.all("SELECT sku FROM erp_items ORDER BY sku")).toEqual([{ sku: "DESK-1" }]);
      expect(
        await store.all("SELECT id, line_no, amount_minor FROM erp_sales_order_lines ORDER BY id"),
      ).toEqual([
        { id: "a3", line_no: 1, amount_minor: 40_000 },
        { id: "a4", line_no: 2, amount_minor: 19_000 },
      ]);
      expect(await store.first("SELECT status, total_minor, cost_usd_minor FROM erp_sales_orders")).toEqual({
        status: "confirmed",
        total_minor: 59_000,
        cost_usd_minor: 36_000,
      });
    } finally {
      await store.close();
    }
  });
});

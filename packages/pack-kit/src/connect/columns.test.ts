import { describe, expect, it } from "vitest";
import { type ExportKind, recogniseExport } from "./columns.js";

const KINDS: readonly ExportKind<"orders" | "items">[] = [
  {
    kind: "orders",
    columns: { id: ["Order ID", "name"], customer: ["Customer"] },
    required: ["id", "customer"],
  },
  {
    kind: "items",
    columns: { sku: ["SKU", "Item Code"], cost: ["Cost"], group: ["Item Group"] },
    required: ["sku"],
    anyOf: ["cost", "group"],
  },
];

describe("recogniseExport", () => {
  it("takes the first kind whose columns are there, by any alias, ignoring case and punctuation", () => {
    const orders = recogniseExport({ name: "o.csv", text: "name,CUSTOMER\nS1,Acme\n" }, "Shop", KINDS);
    expect(orders).toMatchObject({ kind: "orders", at: { id: "name", customer: "CUSTOMER" } });
    const items = recogniseExport({ name: "i.csv", text: "item_code,Item Group\nA,Desks\n" }, "Shop", KINDS);
    expect(items).toMatchObject({
      kind: "items",
      at: { sku: "item_code", group: "Item Group", cost: undefined },
    });
  });

  it("refuses a file no kind fits, naming each kind's columns and the headers found", () => {
    // An items file needs one of its anyOf columns too.
    expect(() =>
      recogniseExport({ name: "x.csv", text: "SKU,Name\nA,Desk\n" }, "Shop", KINDS, "Export all columns"),
    ).toThrow(
      expect.objectContaining({
        code: "unknown_export",
        message:
          "x.csv is not a Shop export this connector reads. Export all columns: orders (Order ID, Customer); items (SKU, Cost or Item Group). Found: SKU, Name.",
      }),
    );
  });
});

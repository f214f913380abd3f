import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { importMappingSchema, listTables, runImport, type SourceFile } from "@toolpacks/pack-kit";
import { runPackCli } from "@toolpacks/pack-kit/node";
import { openPostgresTestStore, openTestStore, testStoreDialect } from "@toolpacks/pack-kit/testing";
import { describe, expect, it } from "vitest";
import { pack } from "../../pack.js";
import { describeErpImport, ERP_AS_OF } from "../fixtures/describe-erp-import.js";
import { odooFixture } from "./fixtures/generate.js";
import { odooConnector } from "./index.js";

const NAMES = [
  "Contact (res.partner) - customers.csv",
  "Contact (res.partner) - vendors.csv",
  "Product (product.template).csv",
  "Sales Order (sale.order).csv",
  "Purchase Order (purchase.order).csv",
];

function exportFiles(names = NAMES): SourceFile[] {
  return names.map((name) => ({
    name,
    text: readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"),
  }));
}

describeErpImport("odoo", odooConnector, exportFiles, odooFixture().truth, (ref) => ref);

describe("odoo import: rejected rows, vocabularies, newer exports", () => {
  const products =
    "Internal Reference,Name,Product Category,Sales Price,Cost,Vendors/Vendor\r\n" +
    "DESK-1,Desk,All / Furniture,200.0,120.0,Acme\r\n" +
    "CHAIR-1,Chair,All / Furniture,80.0,50.0,Acme\r\n";

  it("rejects a whole order when one of its lines is bad, naming the line and column", async () => {
    const orders =
      "Order Reference,Customer,Order Date,Status,Currency,Order Lines/Product,Order Lines/Quantity,Order Lines/Unit Price\r\n" +
      "S1,Northwind,2026-11-02 10:00:00,Sales Order,USD,[DESK-1] Desk,2.0,200.0\r\n" +
      ",,,,,[CHAIR-1] Chair,1.5,80.0\r\n" +
      'S2,Northwind,2026-11-03 10:00:00,Quotation,EUR,[CHAIR-1] Chair,3.0,"1,080.5"\r\n' +
      "S3,Northwind,2026-11-03 10:00:00,Archived,USD,[CHAIR-1] Chair,3.0,80.0\r\n" +
      "S4,Northwind,2026-11-03 10:00:00,Sales Order,USD,[NOPE-9] Ghost,3.0,80.0\r\n";
    const store = await openTestStore();
    try {
      const report = await runImport(
        store,
        pack,
        odooConnector,
        [
          { name: "products.csv", text: products },
          { name: "orders.csv", text: orders },
        ],
        undefined,
        { asOf: ERP_AS_OF },
      );
      expect(report.rejections.map((r) => [r.file, r.line, r.column])).toEqual([
        ["orders.csv", 3, "Order Lines/Quantity"],
        ["orders.csv", 5, "Status"],
        ["orders.csv", 6, "Order Lines/Product"],
      ]);
      expect(report.rejections[0]?.reason).toMatch(/whole number.*Order S1 is not imported/);
      expect(report.rejections[1]?.reason).toMatch(/Quotation Sent/);
      const kept = await store.all<{ id: string; total_minor: number; currency: string }>(
        "SELECT id, total_minor, currency FROM erp_sales_orders",
      );
      expect(kept).toEqual([{ id: "S2", total_minor: 324_150, currency: "EUR" }]);
      expect(
        await store.first("SELECT COUNT(*) AS n FROM erp_sales_order_lines WHERE order_id = 'S1'"),
      ).toEqual({ n: 0 });
    } finally {
      await store.close();
    }
  });

  it("a mapping file's value map overrides Odoo's defaults (a custom stage)", async () => {
    const orders =
      "Order Reference,Customer,Order Date,Status,Order Lines/Product,Order Lines/Quantity,Order Lines/Unit Price\r\n" +
      "S9,Contoso,2026-11-02,Awaiting Payment,[DESK-1] Desk,1.0,200.0\r\n";
    const store = await openTestStore();
    try {
      const report = await runImport(
        store,
        pack,
        odooConnector,
        [
          { name: "products.csv", text: products },
          { name: "orders.csv", text: orders },
        ],
        importMappingSchema.parse({ values: { "sales order status": { "Awaiting Payment": "confirmed" } } }),
        { asOf: ERP_AS_OF },
      );
      expect(report.rejections).toEqual([]);
      expect(await store.first("SELECT status FROM erp_sales_orders WHERE id = 'S9'")).toEqual({
        status: "confirmed",
      });
    } finally {
      await store.close();
    }
  });

  it("a newer export moves an order to shipped and reports the changed columns", async () => {
    const store = await openTestStore();
    try {
      await runImport(store, pack, odooConnector, exportFiles(), undefined, { asOf: ERP_AS_OF });
      const file = exportFiles(["Sales Order (sale.order).csv"])[0] as SourceFile;
      const line = file.text.split("\r\n").find((l) => l.includes(",Sales Order,Not Delivered,")) as string;
      const id = line.split(",")[0] as string;
      const newer = file.text.replace(
        line,
        line.replace(",Sales Order,Not Delivered,", ",Sales Order,Fully Delivered,"),
      );
      const report = await runImport(
        store,
        pack,
        odooConnector,
        [{ name: file.name, text: newer }],
        undefined,
        { asOf: ERP_AS_OF },
      );
      const orders = report.tables.find((t) => t.table === "erp_sales_orders");
      expect(orders?.updated).toBe(1);
      expect(orders?.changes).toEqual([{ id, columns: ["status"] }]);
    } finally {
      await store.close();
    }
  });

  it("asks which contacts a partner export holds when neither columns nor file name say", async () => {
    const store = await openTestStore();
    try {
      await expect(
        runImport(
          store,
          pack,
          odooConnector,
          [{ name: "Contact (res.partner).csv", text: "Name,Email\r\nAcme,a@acme.example\r\n" }],
          undefined,
          {},
        ),
      ).rejects.toMatchObject({ code: "ambiguous_export" });
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(testStoreDialect() !== "postgres")("toolpacks-erp import odoo --db postgres://…", () => {
  const path = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  async function cli(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const codes: number[] = [];
    await runPackCli(pack, {
      argv,
      env: {},
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      exit: (c) => codes.push(c),
    });
    return { out: out.join(""), err: err.join(""), code: codes[0] };
  }

  it("a failed first import leaves no migrated tables behind; the next one loads every order", async () => {
    const store = await openPostgresTestStore();
    try {
      // Neither the columns nor the file name say which contacts this partner export holds.
      const dir = mkdtempSync(join(tmpdir(), "erp-pg-import-"));
      const ambiguous = join(dir, "Contact (res.partner).csv");
      writeFileSync(ambiguous, "Name,Email\r\nAcme,a@acme.example\r\n");
      try {
        const failed = await cli(["import", "odoo", ambiguous, "--db", store.url]);
        expect(failed.code).toBe(1);
        expect(failed.err).toMatch(/Nothing was written\.$/m);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(await listTables(store)).toEqual([]);

      const imported = await cli([
        "import",
        "odoo",
        ...NAMES.map(path),
        "--db",
        store.url,
        "--as-of",
        ERP_AS_OF,
      ]);
      expect(imported.err).toBe("");
      expect(imported.code).toBe(0);
      const orders = await store.first<{ n: number }>("SELECT COUNT(*) AS n FROM erp_sales_orders");
      expect(orders?.n).toBeGreaterThan(0);
      // The open-order rollup came with the rows, in the same transaction.
      expect(
        await store.all(
          "SELECT status, currency, orders, amount_minor FROM erp_open_order_totals WHERE orders <> 0 ORDER BY status, currency",
        ),
      ).toEqual(
        await store.all(
          `SELECT status, currency, COUNT(*) AS orders, SUM(total_minor) AS amount_minor FROM erp_sales_orders
           WHERE status IN ('draft', 'confirmed') GROUP BY status, currency ORDER BY status, currency`,
        ),
      );
    } finally {
      await store.close();
    }
  });
});

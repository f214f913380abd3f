import type { Connector, ImportMapping, RecordReader } from "@toolpacks/pack-kit";
import { appendAll } from "@toolpacks/pack-kit";
import { defineErpConnector } from "../shared/connector.js";
import { groups, readLines } from "../shared/lines.js";
import { overridesFor } from "../shared/overrides.js";
import {
  cell,
  countryCode,
  day,
  erpCurrency,
  minorUnits,
  required,
  termsDays,
  warehouseOf,
  wholeUnits,
} from "../shared/parse.js";
import type { ErpRecords, LineRecord, PartnerRecord } from "../shared/rows.js";
import { fullyDone, purchaseOrderStatus, salesOrderStatus } from "../shared/statuses.js";
import { type OdooExport, recogniseOdooExport } from "./columns.js";

/**
 * Odoo list-view exports (CSV, plain or import-compatible) -> ERP tables: customers and vendors
 * (Contacts), products, sales orders and purchase orders with their lines. Partners are keyed by
 * their display name (what orders and products show); products by Internal Reference (`[CODE]`
 * in order lines). A sales order is `shipped` once its Delivery Status is Fully Delivered, a
 * purchase order `received` once its Receipt Status is Fully Received. Cancelled sales orders
 * and requests for quotation are not imported.
 */
export const odooConnector: Connector = defineErpConnector({
  name: "odoo",
  description: "Odoo CSV exports: contacts (customers, vendors), products, sales orders, purchase orders",
  recognise: recogniseOdooExport,
  read(x, reader, mapping, records) {
    if (x.kind === "customers" || x.kind === "vendors") {
      appendAll(x.kind === "customers" ? records.customers : records.suppliers, readPartners(x, reader));
    }
    if (x.kind === "products") appendAll(records.items, readProducts(x, reader));
    if (x.kind === "sales") appendAll(records.salesOrders, readSales(x, reader, mapping));
    if (x.kind === "purchases") appendAll(records.purchaseOrders, readPurchases(x, reader, mapping));
  },
});

type Of<K extends OdooExport["kind"]> = Extract<OdooExport, { kind: K }>;

function pricelistCurrency(text: string): string {
  return /\(([A-Za-z]{3})\)\s*$/.exec(text)?.[1] ?? "";
}

function readPartners(x: Of<"customers" | "vendors">, reader: RecordReader): PartnerRecord[] {
  const out: PartnerRecord[] = [];
  for (const record of x.table.records) {
    const read = reader.read(x.table.file, record.line, (at) => {
      const name = at(x.at.name, () => required(cell(record, x.at.name), "the name"));
      const currencyText = cell(record, x.at.currency) || pricelistCurrency(cell(record, x.at.pricelist));
      const currency =
        currencyText === ""
          ? undefined
          : at(x.at.currency ?? x.at.pricelist, () => erpCurrency(currencyText));
      const termsColumn = x.kind === "customers" ? x.at.customerTerms : x.at.vendorTerms;
      const limitText = cell(record, x.at.creditLimit);
      return {
        id: name,
        name,
        country: countryCode(cell(record, x.at.country)),
        currency,
        termsDays: at(termsColumn, () => termsDays(cell(record, termsColumn))),
        creditLimit:
          limitText === "" ? 0 : at(x.at.creditLimit, () => minorUnits(limitText, currency ?? "USD")),
        email: cell(record, x.at.email).toLowerCase(),
        taxId: cell(record, x.at.taxId).replaceAll(/\s/g, "").toUpperCase(),
        origin: { file: x.table.file, line: record.line },
      } satisfies PartnerRecord;
    });
    if (read) out.push(read);
  }
  return out;
}

function readProducts(x: Of<"products">, reader: RecordReader) {
  const out: ErpRecords["items"] = [];
  for (const record of x.table.records) {
    const sku = cell(record, x.at.sku);
    // Continuation rows (a product's further vendor lines) carry no reference: the first vendor is the main one.
    if (sku === "" && cell(record, x.at.name) === "") continue;
    const read = reader.read(x.table.file, record.line, (at) => {
      at(x.at.sku, () => required(sku, "the Internal Reference (the ERP pack keys items by SKU)"));
      const currency = at(x.at.currency, () => erpCurrency(cell(record, x.at.currency) || "USD"));
      const leadText = cell(record, x.at.leadTime);
      return {
        sku,
        name: cell(record, x.at.name),
        category: cell(record, x.at.category).split("/").at(-1)?.trim() || "All",
        cost: at(x.at.cost, () => minorUnits(cell(record, x.at.cost) || "0", currency)),
        listPrice: at(x.at.price, () => minorUnits(cell(record, x.at.price) || "0", currency)),
        currency,
        supplier: at(x.at.vendor, () =>
          required(
            cell(record, x.at.vendor),
            "the vendor (Purchase tab > Vendors; ERP items need a supplier)",
          ),
        ),
        leadTimeDays:
          leadText === "" ? undefined : at(x.at.leadTime, () => wholeUnits(leadText, "Delivery Lead Time")),
        origin: { file: x.table.file, line: record.line },
        columns: { sku: x.at.sku ?? "Internal Reference", supplier_id: x.at.vendor ?? "Vendors/Vendor" },
      };
    });
    if (read) out.push(read);
  }
  return out;
}

function readSales(x: Of<"sales">, reader: RecordReader, mapping: ImportMapping | undefined) {
  const overrides = overridesFor(mapping, salesOrderStatus);
  const out: ErpRecords["salesOrders"] = [];
  for (const { head, rows } of groups(x.table.records, x.at.id)) {
    const read = reader.read(x.table.file, head.line, (at) => {
      const id = at(x.at.id, () => required(cell(head, x.at.id), "the order reference"));
      let status = at(x.at.status, () => salesOrderStatus.map(cell(head, x.at.status), "odoo", overrides));
      if (status === "cancelled") return undefined;
      if (status === "confirmed" && fullyDone(cell(head, x.at.delivery))) status = "shipped";
      const currency = at(x.at.currency ?? x.at.pricelist, () =>
        erpCurrency(cell(head, x.at.currency) || pricelistCurrency(cell(head, x.at.pricelist)) || "USD"),
      );
      const commitment = cell(head, x.at.commitment);
      return {
        id,
        dealRef: cell(head, x.at.deal) || undefined,
        customer: at(x.at.customer, () => required(cell(head, x.at.customer), "the customer")),
        status,
        orderDate: at(x.at.date, () => day(required(cell(head, x.at.date), "the order date"))),
        shipDate: commitment === "" ? null : at(x.at.commitment, () => day(commitment)),
        currency,
        location: cell(head, x.at.warehouse) || null,
        lines: readLines(rows, x.table.file, reader, x.at, currency, id),
        origin: { file: x.table.file, line: head.line },
        columns: {
          id: x.at.id ?? "Order Reference",
          customer_id: x.at.customer ?? "Customer",
          deal_id: x.at.deal ?? "Source Document",
          sku: x.at.product ?? "Order Lines/Product",
          quantity: x.at.quantity ?? "Order Lines/Quantity",
        },
      } satisfies Omit<ErpRecords["salesOrders"][number], "lines"> & { lines: LineRecord[] | undefined };
    });
    if (read?.lines) out.push({ ...read, lines: read.lines });
  }
  return out;
}

function readPurchases(x: Of<"purchases">, reader: RecordReader, mapping: ImportMapping | undefined) {
  const overrides = overridesFor(mapping, purchaseOrderStatus);
  const out: ErpRecords["purchaseOrders"] = [];
  for (const { head, rows } of groups(x.table.records, x.at.id)) {
    const read = reader.read(x.table.file, head.line, (at) => {
      const id = at(x.at.id, () => required(cell(head, x.at.id), "the order reference"));
      let status = at(x.at.status, () => purchaseOrderStatus.map(cell(head, x.at.status), "odoo", overrides));
      if (status === "rfq") return undefined;
      if (status === "open" && fullyDone(cell(head, x.at.receipt))) status = "received";
      const currency = at(x.at.currency, () => erpCurrency(cell(head, x.at.currency) || "USD"));
      const orderDate = at(x.at.date, () => day(required(cell(head, x.at.date), "the order date")));
      const expected = cell(head, x.at.expected);
      return {
        id,
        supplier: at(x.at.vendor, () => required(cell(head, x.at.vendor), "the vendor")),
        orderDate,
        expectedDate: expected === "" ? orderDate : at(x.at.expected, () => day(expected)),
        status,
        currency,
        location: warehouseOf(cell(head, x.at.deliverTo)) || "Stock",
        lines: readLines(rows, x.table.file, reader, x.at, currency, id),
        origin: { file: x.table.file, line: head.line },
        columns: { id: x.at.id ?? "Order Reference", supplier_id: x.at.vendor ?? "Vendor" },
      } satisfies Omit<ErpRecords["purchaseOrders"][number], "lines"> & { lines: LineRecord[] | undefined };
    });
    if (read?.lines) out.push({ ...read, lines: read.lines });
  }
  return out;
}

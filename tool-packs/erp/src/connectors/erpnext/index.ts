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
  wholeUnits,
} from "../shared/parse.js";
import type { ErpRecords, PartnerRecord } from "../shared/rows.js";
import { purchaseOrderStatus, salesOrderStatus } from "../shared/statuses.js";
import { type ErpnextExport, recogniseErpnextExport } from "./columns.js";

/**
 * ERPNext Data Export files (CSV) -> ERP tables: Customer, Supplier, Item, Sales Order and
 * Purchase Order with their Items tables. Records keep ERPNext's ids (ID column: customer and
 * supplier names, item codes, SAL-ORD-… / PUR-ORD-… numbers, the Items rows' ids). ERPNext's
 * status says both whether an order is confirmed and whether it was delivered; cancelled sales
 * orders, draft purchase orders and disabled items are not imported.
 */
export const erpnextConnector: Connector = defineErpConnector({
  name: "erpnext",
  description: "ERPNext Data Export CSVs: Customer, Supplier, Item, Sales Order, Purchase Order",
  recognise: recogniseErpnextExport,
  read(x, reader, mapping, records) {
    if (x.kind === "customers" || x.kind === "suppliers") {
      appendAll(x.kind === "customers" ? records.customers : records.suppliers, readPartners(x, reader));
    }
    if (x.kind === "items") appendAll(records.items, readItems(x, reader));
    if (x.kind === "sales") appendAll(records.salesOrders, readSales(x, reader, mapping));
    if (x.kind === "purchases") appendAll(records.purchaseOrders, readPurchases(x, reader, mapping));
  },
});

type Of<K extends ErpnextExport["kind"]> = Extract<ErpnextExport, { kind: K }>;

function readPartners(x: Of<"customers" | "suppliers">, reader: RecordReader): PartnerRecord[] {
  const out: PartnerRecord[] = [];
  for (const record of x.table.records) {
    const read = reader.read(x.table.file, record.line, (at) => {
      const id = at(x.at.id, () => required(cell(record, x.at.id), "the ID"));
      const currencyText = cell(record, x.at.currency);
      const currency = currencyText === "" ? undefined : at(x.at.currency, () => erpCurrency(currencyText));
      const terms = "terms" in x.at ? x.at.terms : undefined;
      const limit = "creditLimit" in x.at ? x.at.creditLimit : undefined;
      const limitText = cell(record, limit);
      return {
        id,
        name: cell(record, x.at.name) || id,
        country: countryCode(cell(record, x.at.country)),
        currency,
        termsDays: at(terms, () => termsDays(cell(record, terms))),
        creditLimit: limitText === "" ? 0 : at(limit, () => minorUnits(limitText, currency ?? "USD")),
        email: cell(record, x.at.email).toLowerCase(),
        taxId: cell(record, x.at.taxId).replaceAll(/\s/g, "").toUpperCase(),
        origin: { file: x.table.file, line: record.line },
      } satisfies PartnerRecord;
    });
    if (read) out.push(read);
  }
  return out;
}

function readItems(x: Of<"items">, reader: RecordReader) {
  const out: ErpRecords["items"] = [];
  for (const { head } of groups(x.table.records, x.at.sku)) {
    if (/^(1|yes|true)$/i.test(cell(head, x.at.disabled))) continue;
    const read = reader.read(x.table.file, head.line, (at) => {
      const sku = at(x.at.sku, () => required(cell(head, x.at.sku), "the item code"));
      const currency = at(x.at.currency, () => erpCurrency(cell(head, x.at.currency) || "USD"));
      const leadText = cell(head, x.at.leadTime);
      return {
        sku,
        name: cell(head, x.at.name) || sku,
        category: cell(head, x.at.group) || "All Item Groups",
        cost: at(x.at.cost, () => minorUnits(cell(head, x.at.cost) || "0", currency)),
        listPrice: at(x.at.price, () => minorUnits(cell(head, x.at.price) || "0", currency)),
        currency,
        supplier: at(x.at.supplier, () =>
          required(
            cell(head, x.at.supplier),
            "the default supplier (Item > Item Defaults; ERP items need a supplier)",
          ),
        ),
        leadTimeDays:
          leadText === "" || leadText === "0"
            ? undefined
            : at(x.at.leadTime, () => wholeUnits(leadText, "Lead Time in days")),
        origin: { file: x.table.file, line: head.line },
        columns: { sku: x.at.sku ?? "ID", supplier_id: x.at.supplier ?? "Default Supplier (Item Defaults)" },
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
      const id = at(x.at.id, () => required(cell(head, x.at.id), "the ID"));
      const status = at(x.at.status, () =>
        salesOrderStatus.map(cell(head, x.at.status), "erpnext", overrides),
      );
      if (status === "cancelled") return undefined;
      const currency = at(x.at.currency, () => erpCurrency(cell(head, x.at.currency) || "USD"));
      const delivery = cell(head, x.at.delivery);
      return {
        id,
        dealRef: cell(head, x.at.deal) || undefined,
        customer: at(x.at.customer, () => required(cell(head, x.at.customer), "the customer")),
        status,
        orderDate: at(x.at.date, () => day(required(cell(head, x.at.date), "the date"))),
        shipDate: delivery === "" ? null : at(x.at.delivery, () => day(delivery)),
        currency,
        location: cell(head, x.at.warehouse) || cell(head, x.at.lineWarehouse) || null,
        lines: readLines(rows, x.table.file, reader, x.at, currency, id),
        origin: { file: x.table.file, line: head.line },
        columns: {
          id: x.at.id ?? "ID",
          customer_id: x.at.customer ?? "Customer",
          deal_id: x.at.deal ?? "Source Document",
          sku: x.at.product ?? "Item Code (Items)",
          quantity: x.at.quantity ?? "Quantity (Items)",
        },
      };
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
      const id = at(x.at.id, () => required(cell(head, x.at.id), "the ID"));
      const status = at(x.at.status, () =>
        purchaseOrderStatus.map(cell(head, x.at.status), "erpnext", overrides),
      );
      if (status === "rfq") return undefined;
      const currency = at(x.at.currency, () => erpCurrency(cell(head, x.at.currency) || "USD"));
      const orderDate = at(x.at.date, () => day(required(cell(head, x.at.date), "the date")));
      const expected = cell(head, x.at.expected);
      return {
        id,
        supplier: at(x.at.supplier, () => required(cell(head, x.at.supplier), "the supplier")),
        orderDate,
        expectedDate: expected === "" ? orderDate : at(x.at.expected, () => day(expected)),
        status,
        currency,
        location: cell(head, x.at.warehouse) || cell(head, x.at.lineWarehouse) || "Stores",
        lines: readLines(rows, x.table.file, reader, x.at, currency, id),
        origin: { file: x.table.file, line: head.line },
        columns: { id: x.at.id ?? "ID", supplier_id: x.at.supplier ?? "Supplier" },
      };
    });
    if (read?.lines) out.push({ ...read, lines: read.lines });
  }
  return out;
}

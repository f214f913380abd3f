import { CellError, type DomainRow, type RejectedRow, type RowOrigin } from "@toolpacks/pack-kit";
import {
  countryCode,
  erpCurrency,
  minorUnits,
  termsDays,
  UNKNOWN_COUNTRY,
  warehouseOf,
  wholeUnits,
} from "../../shared/parse.js";
import type {
  ErpRecords,
  ItemRecord,
  LineRecord,
  PartnerRecord,
  PurchaseOrderRecord,
  SalesOrderRecord,
} from "../../shared/rows.js";
import { purchaseOrderStatus, salesOrderStatus } from "../../shared/statuses.js";
import type {
  Many2one,
  OdooPartner,
  OdooProduct,
  OdooPurchaseLine,
  OdooPurchaseOrder,
  OdooSaleLine,
  OdooSaleOrder,
  OdooWarehouse,
} from "./shapes.js";

/*
 * Odoo JSON-2 records -> the records the ERP file connectors read exports into (shared/rows.ts),
 * so synced and imported data are one model with the same keys: partners by their display name
 * (what orders show), products by Internal Reference, orders by their reference, warehouses by
 * name. A record that cannot be read is a rejection naming the model, id and field.
 */

/** Where a record came from, for rejections: `odoo sale.order 42`. */
export const originOf = (model: string, id: number): RowOrigin => ({ file: `odoo ${model} ${id}`, line: 0 });

const nameOf = (value: Many2one): string => (value === false ? "" : value[1].trim());
const text = (value: string | false | undefined): string => (typeof value === "string" ? value.trim() : "");

/** A CellError raised while reading `field`, as a rejection of the record. */
function readField<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CellError) Object.assign(error, { field });
    throw error;
  }
}

/** Runs `read`; a CellError becomes a rejection of `model` `id` instead. */
export function tryRecord<T>(
  model: string,
  id: number,
  rejected: RejectedRow[],
  read: () => T,
): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof CellError)) throw error;
    const field = (error as CellError & { field?: string }).field;
    rejected.push({ ...originOf(model, id), ...(field ? { column: field } : {}), reason: error.message });
    return undefined;
  }
}

/** The calendar day of an Odoo date or UTC datetime ("2026-11-02 09:30:00"). */
export function odooDay(value: string | false, field: string): string {
  return readField(field, () => {
    const match =
      typeof value === "string" ? /^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?/.exec(value) : null;
    if (!match?.[1])
      throw new CellError("invalid_date", `${field} ${JSON.stringify(value)} is not an Odoo date.`);
    return match[1];
  });
}

const currencyOf = (value: Many2one, field: string) =>
  readField(field, () => erpCurrency(nameOf(value) || "USD"));
const money = (amount: number, currency: string, field: string) =>
  readField(field, () => minorUnits(String(amount), currency));
const units = (quantity: number, field: string) =>
  readField(field, () => wholeUnits(String(quantity), field));

function pricelistCurrency(value: Many2one): string {
  return /\(([A-Za-z]{3})\)\s*$/.exec(nameOf(value))?.[1] ?? "";
}

/** A partner as customer and/or supplier (by its customer and supplier ranks). */
export function partnerRecords(p: OdooPartner): { customer?: PartnerRecord; supplier?: PartnerRecord } {
  const origin = originOf("res.partner", p.id);
  const base = {
    id: p.complete_name.trim(),
    name: p.complete_name.trim(),
    country: countryCode(nameOf(p.country_id)),
    email: text(p.email).toLowerCase(),
    taxId: text(p.vat).replaceAll(/\s/g, "").toUpperCase(),
    origin,
  };
  const out: { customer?: PartnerRecord; supplier?: PartnerRecord } = {};
  if (p.customer_rank > 0) {
    const code = pricelistCurrency(p.property_product_pricelist);
    const currency = code ? readField("property_product_pricelist", () => erpCurrency(code)) : undefined;
    out.customer = {
      ...base,
      currency,
      termsDays: readField("property_payment_term_id", () => termsDays(nameOf(p.property_payment_term_id))),
      creditLimit: p.credit_limit ? money(p.credit_limit, currency ?? "USD", "credit_limit") : 0,
    };
  }
  if (p.supplier_rank > 0) {
    const code = nameOf(p.property_purchase_currency_id);
    out.supplier = {
      ...base,
      currency: code ? readField("property_purchase_currency_id", () => erpCurrency(code)) : undefined,
      termsDays: readField("property_supplier_payment_term_id", () =>
        termsDays(nameOf(p.property_supplier_payment_term_id)),
      ),
      creditLimit: 0,
    };
  }
  return out;
}

/** A product's first vendor (lowest sequence) and its delivery lead time. */
export interface Vendor {
  name: string;
  delay: number;
}

/** A product variant -> an item; needs an Internal Reference and a vendor, like the export. */
export function itemRecord(p: OdooProduct, vendor: Vendor | undefined): ItemRecord {
  const sku = readField("default_code", () => {
    const code = text(p.default_code);
    if (code === "")
      throw new CellError("blank", "the Internal Reference is blank (the ERP pack keys items by SKU).");
    return code;
  });
  const currency = currencyOf(p.currency_id, "currency_id");
  const supplier = readField("seller_ids", () => {
    if (!vendor?.name) {
      throw new CellError(
        "blank",
        "the product has no vendor (Purchase tab > Vendors; ERP items need a supplier).",
      );
    }
    return vendor.name;
  });
  return {
    sku,
    name: p.name,
    category: nameOf(p.categ_id).split("/").at(-1)?.trim() || "All",
    cost: money(p.standard_price, currency, "standard_price"),
    listPrice: money(p.list_price, currency, "list_price"),
    currency,
    supplier,
    leadTimeDays: vendor && vendor.delay > 0 ? Math.round(vendor.delay) : undefined,
    origin: originOf("product.product", p.id),
    columns: { sku: "default_code", supplier_id: "seller_ids" },
  };
}

/** A warehouse -> a location row (its country is not on the warehouse: set it in the pack). */
export function locationRow(w: OdooWarehouse): DomainRow {
  return {
    table: "erp_locations",
    sourceId: String(w.id),
    origin: originOf("stock.warehouse", w.id),
    derived: ["country"],
    values: { id: w.name.trim(), name: w.name.trim(), country: UNKNOWN_COUNTRY },
  };
}

/** Product lines of an order (sections and notes skipped), in the order's sequence. */
function lineRecords<L extends OdooSaleLine | OdooPurchaseLine>(
  model: string,
  lines: readonly L[],
  skus: ReadonlyMap<number, string>,
  quantityOf: (line: L) => number,
  currency: string,
): LineRecord[] {
  return [...lines]
    .filter((l) => !l.display_type)
    .sort((a, b) => a.sequence - b.sequence || a.id - b.id)
    .map((l) => {
      const product = l.product_id === false ? undefined : skus.get(l.product_id[0]);
      const sku = readField("product_id", () => {
        if (!product) {
          throw new CellError(
            "unknown_product",
            `line ${l.id} is of product ${JSON.stringify(nameOf(l.product_id))}, which has no Internal Reference; the order is not synced (give the product one).`,
          );
        }
        return product;
      });
      const quantity = units(quantityOf(l), model === "sale.order.line" ? "product_uom_qty" : "product_qty");
      if (quantity === 0) {
        readField("product_uom_qty", () => {
          throw new CellError("invalid_quantity", `line ${l.id} has quantity 0.`);
        });
      }
      return {
        id: undefined,
        sku,
        quantity,
        unitPrice: money(l.price_unit, currency, "price_unit"),
        origin: originOf(model, l.id),
      };
    });
}

/** A sales order, or "cancelled" (the pack keeps no cancelled orders). */
export function salesOrderRecord(
  o: OdooSaleOrder,
  lines: readonly OdooSaleLine[],
  skus: ReadonlyMap<number, string>,
): SalesOrderRecord | "cancelled" {
  let status = readField("state", () => salesOrderStatus.map(o.state, "odoo"));
  if (status === "cancelled") return "cancelled";
  if (status === "confirmed" && o.delivery_status === "full") status = "shipped";
  const currency = currencyOf(o.currency_id, "currency_id");
  const customer = readField("partner_id", () => {
    if (o.partner_id === false) throw new CellError("blank", "the customer is blank.");
    return nameOf(o.partner_id);
  });
  return {
    id: o.name.trim(),
    dealRef: text(o.origin) || undefined,
    customer,
    status,
    orderDate: odooDay(o.date_order, "date_order"),
    shipDate: o.commitment_date ? odooDay(o.commitment_date, "commitment_date") : null,
    currency,
    location: nameOf(o.warehouse_id) || null,
    lines: lineRecords("sale.order.line", lines, skus, (l) => l.product_uom_qty, currency),
    origin: originOf("sale.order", o.id),
    columns: {
      id: "name",
      customer_id: "partner_id",
      deal_id: "origin",
      sku: "order_line/product_id",
      quantity: "order_line/product_uom_qty",
    },
  };
}

/** A purchase order, or "rfq" (a request for quotation is not an order yet). */
export function purchaseOrderRecord(
  o: OdooPurchaseOrder,
  lines: readonly OdooPurchaseLine[],
  skus: ReadonlyMap<number, string>,
): PurchaseOrderRecord | "rfq" {
  let status = readField("state", () => purchaseOrderStatus.map(o.state, "odoo"));
  if (status === "rfq") return "rfq";
  if (status === "open" && o.receipt_status === "full") status = "received";
  const currency = currencyOf(o.currency_id, "currency_id");
  const orderDate = odooDay(o.date_order, "date_order");
  const supplier = readField("partner_id", () => {
    if (o.partner_id === false) throw new CellError("blank", "the vendor is blank.");
    return nameOf(o.partner_id);
  });
  return {
    id: o.name.trim(),
    supplier,
    orderDate,
    expectedDate: o.date_planned ? odooDay(o.date_planned, "date_planned") : orderDate,
    status,
    currency,
    location: warehouseOf(nameOf(o.picking_type_id)) || "Stock",
    lines: lineRecords("purchase.order.line", lines, skus, (l) => l.product_qty, currency),
    origin: originOf("purchase.order", o.id),
    columns: { id: "name", supplier_id: "partner_id" },
  };
}

/** Empty records, to fill one page's worth. */
export function emptyRecords(): ErpRecords {
  return { customers: [], suppliers: [], items: [], salesOrders: [], purchaseOrders: [] };
}

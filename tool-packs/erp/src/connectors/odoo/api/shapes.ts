/*
 * The Odoo records the ERP sync reads, as JSON-2 `search_read` returns them: a many2one is
 * `[id, display_name]` or `false`, an empty char/date field is `false` (never ""), a one2many
 * is a list of ids, floats are JSON numbers, datetimes are "YYYY-MM-DD HH:MM:SS" in UTC.
 */

/** A many2one value: `[id, display name]`, or `false` when empty. */
export type Many2one = [number, string] | false;
/** A char, text, date or datetime value: the text, or `false` when empty. */
export type Maybe<T> = T | false;

/** Every synced record carries these (ORM magic fields). */
export interface OdooRecord {
  id: number;
  write_date: string;
}

/** `res.partner`: a customer (customer_rank > 0) and/or a vendor (supplier_rank > 0). */
export interface OdooPartner extends OdooRecord {
  /** The name orders and products show (`Company, Contact` for a contact of a company). */
  complete_name: string;
  active: boolean;
  email: Maybe<string>;
  vat: Maybe<string>;
  country_id: Many2one;
  customer_rank: number;
  supplier_rank: number;
  property_payment_term_id: Many2one;
  property_supplier_payment_term_id: Many2one;
  credit_limit: number;
  property_product_pricelist: Many2one;
  property_purchase_currency_id: Many2one;
}

/** `product.product`: a variant; the ERP pack keys items by its Internal Reference. */
export interface OdooProduct extends OdooRecord {
  default_code: Maybe<string>;
  name: string;
  active: boolean;
  categ_id: Many2one;
  list_price: number;
  standard_price: number;
  currency_id: Many2one;
  /** `product.supplierinfo` ids, first vendor first (by sequence). */
  seller_ids: number[];
}

/** `product.supplierinfo`: a vendor of a product and its delivery lead time. */
export interface OdooSupplierInfo {
  id: number;
  partner_id: Many2one;
  delay: number;
  sequence: number;
}

/** `sale.order`. */
export interface OdooSaleOrder extends OdooRecord {
  name: string;
  partner_id: Many2one;
  date_order: string;
  commitment_date: Maybe<string>;
  state: "draft" | "sent" | "sale" | "done" | "cancel" | string;
  delivery_status: Maybe<"pending" | "started" | "partial" | "full" | string>;
  warehouse_id: Many2one;
  currency_id: Many2one;
  /** Source Document: the CRM deal the order was made from. */
  origin: Maybe<string>;
  /** Customer Reference: holds the runtime's idempotency key of an order the pack created. */
  client_order_ref: Maybe<string>;
  order_line: number[];
}

/** `sale.order.line` (`display_type` set: a section or note, not a product line). */
export interface OdooSaleLine {
  id: number;
  order_id: Many2one;
  sequence: number;
  display_type: Maybe<string>;
  product_id: Many2one;
  product_uom_qty: number;
  price_unit: number;
}

/** `purchase.order`. */
export interface OdooPurchaseOrder extends OdooRecord {
  name: string;
  partner_id: Many2one;
  date_order: string;
  date_planned: Maybe<string>;
  state: "draft" | "sent" | "to approve" | "purchase" | "done" | "cancel" | string;
  receipt_status: Maybe<"pending" | "partial" | "full" | string>;
  picking_type_id: Many2one;
  currency_id: Many2one;
  /** Source Document: holds the runtime's idempotency key of an order the pack created. */
  origin: Maybe<string>;
  order_line: number[];
}

/** `purchase.order.line`. */
export interface OdooPurchaseLine {
  id: number;
  order_id: Many2one;
  sequence: number;
  display_type: Maybe<string>;
  product_id: Many2one;
  product_qty: number;
  price_unit: number;
}

/** `stock.warehouse`: the ERP pack's locations. */
export interface OdooWarehouse extends OdooRecord {
  name: string;
  code: string;
  active: boolean;
  partner_id: Many2one;
}

/** The fields the sync reads of each model. */
export const FIELDS = {
  "res.partner": [
    "complete_name",
    "active",
    "email",
    "vat",
    "country_id",
    "customer_rank",
    "supplier_rank",
    "property_payment_term_id",
    "property_supplier_payment_term_id",
    "credit_limit",
    "property_product_pricelist",
    "property_purchase_currency_id",
    "write_date",
  ],
  "product.product": [
    "default_code",
    "name",
    "active",
    "categ_id",
    "list_price",
    "standard_price",
    "currency_id",
    "seller_ids",
    "write_date",
  ],
  "product.supplierinfo": ["partner_id", "delay", "sequence"],
  "sale.order": [
    "name",
    "partner_id",
    "date_order",
    "commitment_date",
    "state",
    "delivery_status",
    "warehouse_id",
    "currency_id",
    "origin",
    "client_order_ref",
    "order_line",
    "write_date",
  ],
  "sale.order.line": ["order_id", "sequence", "display_type", "product_id", "product_uom_qty", "price_unit"],
  "purchase.order": [
    "name",
    "partner_id",
    "date_order",
    "date_planned",
    "state",
    "receipt_status",
    "picking_type_id",
    "currency_id",
    "origin",
    "order_line",
    "write_date",
  ],
  "purchase.order.line": ["order_id", "sequence", "display_type", "product_id", "product_qty", "price_unit"],
  "stock.warehouse": ["name", "code", "active", "partner_id", "write_date"],
} as const;

import type { Currency } from "../money.js";

/** An ERP customer (same `id` as the CRM account and the billing account). */
export interface ErpCustomer {
  id: string;
  name: string;
  country: string;
  currency: Currency;
  payment_terms_days: number;
  credit_limit_minor: number;
}

/** An item master record; `sku` is shared with CRM deal lines and warehouse stock. */
export interface ErpItem {
  sku: string;
  name: string;
  category: string;
  /** Standard cost, USD minor units. */
  unit_cost_minor: number;
  /** List price, USD minor units (deals in other currencies convert it). */
  list_price_minor: number;
  currency: Currency;
  supplier_id: string;
}

/** A supplier with its typical lead time. */
export interface ErpSupplier {
  id: string;
  name: string;
  country: string;
  currency: Currency;
  lead_time_days: number;
}

/** `open` = entered, not yet shipped; `shipped` = left the warehouse (and invoiced in billing). */
export type SalesOrderStatus = "open" | "shipped";

/** A sales order created from a closed-won CRM deal (`deal_id`); some won deals still lack one. */
export interface ErpSalesOrder {
  id: string;
  customer_id: string;
  deal_id: string;
  order_date: string;
  status: SalesOrderStatus;
  currency: Currency;
  total_minor: number;
  location_id: string;
  /** Actual ship date when shipped, planned ship date when open. */
  ship_date: string;
}

/** One line of a sales order (copied from the deal line). */
export interface ErpSalesOrderLine {
  id: string;
  order_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  unit_price_minor: number;
  amount_minor: number;
  currency: Currency;
}

/** Status of a purchase order as of the world's date. */
export type PurchaseOrderStatus = "open" | "received" | "cancelled";

/** A single-line purchase order of one SKU into one location. */
export interface ErpPurchaseOrder {
  id: string;
  supplier_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  unit_cost_minor: number;
  currency: Currency;
  order_date: string;
  expected_date: string;
  status: PurchaseOrderStatus;
}

/** A sales order with its lines. */
export interface SalesOrderBundle {
  order: ErpSalesOrder;
  lines: ErpSalesOrderLine[];
}

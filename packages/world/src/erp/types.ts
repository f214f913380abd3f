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

/**
 * `confirmed` = entered and confirmed, its stock reserved in the warehouse, not yet shipped;
 * `shipped` = left the warehouse (and invoiced in billing). The ERP's own `draft` state (an order
 * created but not yet confirmed) is never generated: it only arises from the ERP's write tools.
 */
export type SalesOrderStatus = "confirmed" | "shipped";

/** A sales order created from a closed-won CRM deal (`deal_id`); some won deals still lack one. */
export interface ErpSalesOrder {
  id: string;
  customer_id: string;
  deal_id: string;
  order_date: string;
  status: SalesOrderStatus;
  currency: Currency;
  total_minor: number;
  /** `total_minor` in USD at `RATES_PER_USD`. */
  total_usd_minor: number;
  /** Standard cost of the order's lines (quantity x the item's `unit_cost_minor`), USD minor units. */
  cost_usd_minor: number;
  location_id: string;
  /** Actual ship date when shipped, planned ship date when confirmed. */
  ship_date: string;
  /** The day the order was confirmed (generated orders are confirmed on their order date). */
  confirmed_on: string;
}

/** One line of a sales order (copied from the deal line). */
export interface ErpSalesOrderLine {
  id: string;
  order_id: string;
  line_no: number;
  /** The order's date, repeated on each line. */
  order_date: string;
  sku: string;
  quantity: number;
  unit_price_minor: number;
  amount_minor: number;
  currency: Currency;
  /** `amount_minor` in USD at `RATES_PER_USD`. */
  amount_usd_minor: number;
  /** quantity x the item's standard `unit_cost_minor`, USD minor units. */
  cost_usd_minor: number;
}

/**
 * A CRM deal as the ERP knows it (replicated from the CRM by the shared world): enough to refuse an
 * order for a deal that does not exist, or for another account. Stages are not replicated: the CRM
 * can still move a deal, so the ERP only trusts the deal's identity.
 */
export interface ErpDealRef {
  id: string;
  account_id: string;
  currency: Currency;
}

/** A warehouse location as the ERP knows it (same `id` as the warehouse's). */
export interface ErpLocation {
  id: string;
  name: string;
  country: string;
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
  /** quantity x unit cost, in USD at `RATES_PER_USD`. */
  value_usd_minor: number;
  order_date: string;
  /** Due date; a `received` order arrived on this day (the warehouse records the receipt then). */
  expected_date: string;
  status: PurchaseOrderStatus;
}

/** A sales order with its lines. */
export interface SalesOrderBundle {
  order: ErpSalesOrder;
  lines: ErpSalesOrderLine[];
}

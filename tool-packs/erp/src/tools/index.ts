import type { AnyToolDefinition } from "@toolpacks/pack-kit";
import { confirmSalesOrder } from "./confirm_sales_order.js";
import { createPurchaseOrder } from "./create_purchase_order.js";
import { createSalesOrder } from "./create_sales_order.js";
import { itemMargins } from "./item_margins.js";
import { openOrders } from "./open_orders.js";
import { orderStatus } from "./order_status.js";
import { orderToCashByCustomer } from "./order_to_cash_by_customer.js";
import { ordersForDeals } from "./orders_for_deals.js";
import { purchaseOrders } from "./purchase_orders.js";
import { recordShipment } from "./record_shipment.js";
import { supplierLeadTimes } from "./supplier_lead_times.js";

/** The ERP pack's read tools, in the order clients list them. */
export const readTools: readonly AnyToolDefinition[] = [
  orderStatus,
  ordersForDeals,
  openOrders,
  orderToCashByCustomer,
  purchaseOrders,
  supplierLeadTimes,
  itemMargins,
];

/** The ERP pack's write tools (scope `erp:write`). */
export const writeTools: readonly AnyToolDefinition[] = [
  createSalesOrder,
  confirmSalesOrder,
  recordShipment,
  createPurchaseOrder,
];

export {
  confirmSalesOrder,
  createPurchaseOrder,
  createSalesOrder,
  itemMargins,
  openOrders,
  orderStatus,
  ordersForDeals,
  orderToCashByCustomer,
  purchaseOrders,
  recordShipment,
  supplierLeadTimes,
};

export { migrations } from "./migrations.js";
export { createErpPack, type ErpPackOptions, pack } from "./pack.js";
export { seedErp } from "./seed/seed.js";
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
  readTools,
  recordShipment,
  supplierLeadTimes,
  writeTools,
} from "./tools/index.js";

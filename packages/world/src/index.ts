export type { BillingWorld } from "./billing/index.js";
export { PLANS } from "./billing/subscriptions.js";
export type {
  BillingAccount,
  BillingCreditNote,
  BillingInvoice,
  BillingInvoiceLine,
  BillingMrrEvent,
  BillingPayment,
  BillingPlan,
  BillingSubscription,
  InvoiceBundle,
  InvoiceStatus,
  MrrEventKind,
  PaymentMethod,
  SubscriptionStatus,
} from "./billing/types.js";
export { dayOf, isoDate, quarterEnd, quarterOf } from "./calendar.js";
export type { CrmWorld } from "./crm/index.js";
export { targetQuarters } from "./crm/targets.js";
export type {
  ActivityKind,
  CrmAccount,
  CrmActivity,
  CrmContact,
  CrmDeal,
  CrmDealLine,
  CrmOwner,
  CrmTarget,
  DealBundle,
  DealStage,
} from "./crm/types.js";
export { DEAL_STAGES, OPEN_STAGES, STAGE_PROBABILITY } from "./crm/types.js";
export type { ErpWorld } from "./erp/index.js";
export type {
  ErpCustomer,
  ErpDealRef,
  ErpItem,
  ErpLocation,
  ErpPurchaseOrder,
  ErpSalesOrder,
  ErpSalesOrderLine,
  ErpSupplier,
  PurchaseOrderStatus,
  SalesOrderBundle,
  SalesOrderStatus,
} from "./erp/types.js";
export { type WorldErrorCode, WorldOptionsError } from "./errors.js";
export {
  checkWorldInvariants,
  type InvariantViolation,
  WORLD_INVARIANTS,
  type WorldFacts,
  type WorldInvariant,
  worldFacts,
} from "./invariants.js";
export {
  CURRENCIES,
  type Currency,
  convertMinor,
  RATES_PER_USD,
  REPORTING_CURRENCY,
  toReportingMinor,
} from "./money.js";
export {
  DEFAULT_AS_OF,
  HISTORY_DAYS,
  MAX_SCALE,
  MIN_SCALE,
  type WorldOptions,
  type WorldPlan,
  worldPlan,
} from "./plan.js";
export { batches, type IndexRange } from "./range.js";
export type {
  Customer,
  Location,
  Owner,
  PayerProfile,
  Product,
  Segment,
  Supplier,
  Team,
} from "./shared/types.js";
export { type WorldSummary, worldSummary } from "./summary.js";
export type { WarehouseWorld } from "./warehouse/index.js";
export type {
  MovementKind,
  ReservationBundle,
  ReservationStatus,
  ShipmentStatus,
  WarehouseItem,
  WarehouseLocation,
  WarehouseMovement,
  WarehouseReservation,
  WarehouseReservationLine,
  WarehouseShipment,
  WarehouseStock,
} from "./warehouse/types.js";
export { createWorld, type World } from "./world.js";

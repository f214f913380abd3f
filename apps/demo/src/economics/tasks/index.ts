import type { EconomicsTask } from "../task.js";
import { billingDunningBehaviour } from "./billing-dunning-behaviour.js";
import { billingOldestOverdue } from "./billing-oldest-overdue.js";
import { collectionsWithPipeline } from "./collections-with-pipeline.js";
import { createMissingOrders } from "./create-missing-orders.js";
import { crmOwnerGaps } from "./crm-owner-gaps.js";
import { crmStaleFollowUps } from "./crm-stale-follow-ups.js";
import { crmTopAccountsHealth } from "./crm-top-accounts-health.js";
import { crmWonUnitsBySku } from "./crm-won-units-by-sku.js";
import { customer360 } from "./customer-360.js";
import { erpOpenOrders } from "./erp-open-orders.js";
import { erpThinMarginSuppliers } from "./erp-thin-margin-suppliers.js";
import { orderToCash } from "./order-to-cash.js";
import { wonDealsWithoutOrders } from "./won-deals-without-orders.js";

/** The token-economics suite: single-pack and cross-pack, read-heavy and with writes. */
export const TASKS: readonly EconomicsTask[] = [
  crmTopAccountsHealth,
  crmWonUnitsBySku,
  crmOwnerGaps,
  crmStaleFollowUps,
  erpOpenOrders,
  erpThinMarginSuppliers,
  billingDunningBehaviour,
  billingOldestOverdue,
  wonDealsWithoutOrders,
  collectionsWithPipeline,
  customer360,
  createMissingOrders,
  orderToCash,
];

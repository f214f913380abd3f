import { type BillingWorld, billingWorld } from "./billing/index.js";
import { WorldContext } from "./context.js";
import { type CrmWorld, crmWorld } from "./crm/index.js";
import { type ErpWorld, erpWorld } from "./erp/index.js";
import type { WorldOptions, WorldPlan } from "./plan.js";
import type { Customer, Location, Owner, Product, Supplier } from "./shared/types.js";
import { type WarehouseWorld, warehouseWorld } from "./warehouse/index.js";

/**
 * One generated order-to-cash world: four systems over the same customers, SKUs,
 * locations and suppliers. Every generator is lazy and restartable: calling it
 * again yields the same rows again, and memory stays flat whatever the scale.
 */
export interface World {
  readonly seed: number;
  readonly scale: number;
  /** Reference date (`YYYY-MM-DD`) the world's states are true on. */
  readonly asOf: string;
  readonly plan: WorldPlan;
  /** Shared master data; `Customer.payer` is generation truth that no system row exposes. */
  customers(): readonly Customer[];
  products(): readonly Product[];
  locations(): readonly Location[];
  suppliers(): readonly Supplier[];
  owners(): readonly Owner[];
  readonly crm: CrmWorld;
  readonly erp: ErpWorld;
  readonly warehouse: WarehouseWorld;
  readonly billing: BillingWorld;
}

/**
 * Creates the world for `(seed, scale, asOf)`. Cheap: nothing is generated until a
 * generator is iterated. Throws WorldOptionsError for an unusable option.
 */
export function createWorld(options: WorldOptions): World {
  const ctx = new WorldContext(options);
  return {
    seed: ctx.seed,
    scale: ctx.scale,
    asOf: ctx.asOf,
    plan: ctx.plan,
    customers: () => ctx.customers,
    products: () => ctx.products,
    locations: () => ctx.locations,
    suppliers: () => ctx.suppliers,
    owners: () => ctx.owners,
    crm: crmWorld(ctx),
    erp: erpWorld(ctx),
    warehouse: warehouseWorld(ctx),
    billing: billingWorld(ctx),
  };
}

import {
  type ResolvedWorldOptions,
  resolveWorldOptions,
  type WorldOptions,
  type WorldPlan,
  worldPlan,
} from "./plan.js";
import { locationAt, ownerAt, productAt, supplierAt } from "./shared/catalog.js";
import { customerAt } from "./shared/customers.js";
import type { Customer, Location, Owner, Product, Supplier } from "./shared/types.js";

/**
 * What every generator of one world reads: options, planned counts and the shared
 * master data. Master data is small (at most ~32k customers at the largest scale),
 * so it is built once on first use and kept; everything per-transaction is derived
 * on demand and never held in memory.
 */
export class WorldContext {
  readonly seed: number;
  readonly scale: number;
  readonly asOf: string;
  readonly asOfDay: number;
  readonly plan: WorldPlan;
  private customerList?: Customer[];
  private productList?: Product[];
  private locationList?: Location[];
  private supplierList?: Supplier[];
  private ownerList?: Owner[];

  constructor(options: WorldOptions) {
    const resolved: ResolvedWorldOptions = resolveWorldOptions(options);
    this.seed = resolved.seed;
    this.scale = resolved.scale;
    this.asOf = resolved.asOf;
    this.asOfDay = resolved.asOfDay;
    this.plan = worldPlan(resolved.scale);
  }

  get customers(): readonly Customer[] {
    this.customerList ??= Array.from({ length: this.plan.customers }, (_, i) =>
      customerAt(this.seed, i, this.plan.customers, this.plan.owners, this.asOfDay),
    );
    return this.customerList;
  }

  get products(): readonly Product[] {
    this.productList ??= Array.from({ length: this.plan.products }, (_, i) =>
      productAt(this.seed, i, this.plan.suppliers),
    );
    return this.productList;
  }

  get locations(): readonly Location[] {
    this.locationList ??= Array.from({ length: this.plan.locations }, (_, i) => locationAt(i));
    return this.locationList;
  }

  get suppliers(): readonly Supplier[] {
    this.supplierList ??= Array.from({ length: this.plan.suppliers }, (_, i) => supplierAt(this.seed, i));
    return this.supplierList;
  }

  get owners(): readonly Owner[] {
    this.ownerList ??= Array.from({ length: this.plan.owners }, (_, i) =>
      ownerAt(this.seed, i, this.plan.owners),
    );
    return this.ownerList;
  }
}

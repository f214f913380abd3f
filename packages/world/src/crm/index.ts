import type { WorldContext } from "../context.js";
import { WorldOptionsError } from "../errors.js";
import { type IndexRange, resolveRange } from "../range.js";
import { dealBundleAt, dealCoreAt } from "./deals.js";
import { contactAt } from "./people.js";
import { targets } from "./targets.js";
import type {
  CrmAccount,
  CrmActivity,
  CrmContact,
  CrmDeal,
  CrmDealLine,
  CrmOwner,
  CrmTarget,
  DealBundle,
} from "./types.js";

/** Generators of the CRM system's rows. Ranges are over the kind's indexes (deal indexes for lines and activities). */
export interface CrmWorld {
  accounts(): Generator<CrmAccount>;
  contacts(range?: IndexRange): Generator<CrmContact>;
  owners(): Generator<CrmOwner>;
  targets(): Generator<CrmTarget>;
  deals(range?: IndexRange): Generator<CrmDeal>;
  dealLines(range?: IndexRange): Generator<CrmDealLine>;
  activities(range?: IndexRange): Generator<CrmActivity>;
  /** Deals with their lines and activities in one pass (cheapest way to load all three). */
  dealBundles(range?: IndexRange): Generator<DealBundle>;
  /** One deal by index, without generating the others. */
  dealAt(index: number): DealBundle;
}

/** The CRM view of a world. */
export function crmWorld(ctx: WorldContext): CrmWorld {
  function* dealBundles(range?: IndexRange): Generator<DealBundle> {
    const { start, end } = resolveRange(range, ctx.plan.deals);
    for (let i = start; i < end; i++) yield dealBundleAt(ctx, i);
  }
  return {
    *accounts() {
      for (const c of ctx.customers) {
        yield {
          id: c.id,
          name: c.name,
          industry: c.industry,
          country: c.country,
          currency: c.currency,
          segment: c.segment,
          employees: c.employees,
          owner_id: c.owner_id,
          created_on: c.created_on,
        };
      }
    },
    *contacts(range) {
      const { start, end } = resolveRange(range, ctx.plan.contacts);
      for (let i = start; i < end; i++) yield contactAt(ctx, i);
    },
    *owners() {
      for (const o of ctx.owners) yield { ...o };
    },
    targets: () => targets(ctx),
    *deals(range) {
      const { start, end } = resolveRange(range, ctx.plan.deals);
      for (let i = start; i < end; i++) yield dealCoreAt(ctx, i).deal;
    },
    *dealLines(range) {
      const { start, end } = resolveRange(range, ctx.plan.deals);
      for (let i = start; i < end; i++) yield* dealCoreAt(ctx, i).lines;
    },
    *activities(range) {
      for (const b of dealBundles(range)) yield* b.activities;
    },
    dealBundles,
    dealAt(index) {
      if (!Number.isInteger(index) || index < 0 || index >= ctx.plan.deals) {
        throw new WorldOptionsError(
          "WORLD_INVALID_RANGE",
          `Deal index ${index} does not exist: this world has deals 0 to ${ctx.plan.deals - 1}.`,
        );
      }
      return dealBundleAt(ctx, index);
    },
  };
}

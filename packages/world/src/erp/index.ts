import type { WorldContext } from "../context.js";
import { dealHeadAt } from "../crm/deals.js";
import { type IndexRange, resolveRange } from "../range.js";
import { dealId } from "../shared/ids.js";
import { salesOrderAt } from "./orders.js";
import { purchaseOrderAt } from "./purchase-orders.js";
import type {
  ErpCustomer,
  ErpDealRef,
  ErpItem,
  ErpLocation,
  ErpPurchaseOrder,
  ErpSalesOrder,
  ErpSalesOrderLine,
  ErpSupplier,
  SalesOrderBundle,
} from "./types.js";

const CREDIT_LIMIT = { smb: 2_000_000, mid_market: 15_000_000, enterprise: 100_000_000 } as const;

/** Generators of the ERP system's rows. Sales-order and deal ranges are over deal indexes. */
export interface ErpWorld {
  customers(): Generator<ErpCustomer>;
  items(): Generator<ErpItem>;
  suppliers(): Generator<ErpSupplier>;
  /** The warehouse locations orders ship from and purchase orders deliver to. */
  locations(): Generator<ErpLocation>;
  /**
   * The identity (id, account, currency) of every CRM deal that can still be ordered against: won
   * or open (a lost deal is final in the CRM). What the ERP checks a new order's deal against.
   */
  deals(range?: IndexRange): Generator<ErpDealRef>;
  salesOrders(range?: IndexRange): Generator<ErpSalesOrder>;
  salesOrderLines(range?: IndexRange): Generator<ErpSalesOrderLine>;
  /** Orders with their lines in one pass. */
  salesOrderBundles(range?: IndexRange): Generator<SalesOrderBundle>;
  purchaseOrders(range?: IndexRange): Generator<ErpPurchaseOrder>;
}

/** The ERP view of a world. */
export function erpWorld(ctx: WorldContext): ErpWorld {
  function* salesOrderBundles(range?: IndexRange): Generator<SalesOrderBundle> {
    const { start, end } = resolveRange(range, ctx.plan.deals);
    for (let i = start; i < end; i++) {
      const order = salesOrderAt(ctx, i);
      if (order) yield order;
    }
  }
  return {
    *customers() {
      for (const c of ctx.customers) {
        yield {
          id: c.id,
          name: c.name,
          country: c.country,
          currency: c.currency,
          payment_terms_days: c.payment_terms_days,
          credit_limit_minor: CREDIT_LIMIT[c.segment],
        };
      }
    },
    *items() {
      for (const p of ctx.products) {
        yield {
          sku: p.sku,
          name: p.name,
          category: p.category,
          unit_cost_minor: p.unit_cost_minor,
          list_price_minor: p.list_price_minor,
          currency: "USD",
          supplier_id: p.supplier_id,
        };
      }
    },
    *suppliers() {
      for (const s of ctx.suppliers) yield { ...s };
    },
    *locations() {
      for (const l of ctx.locations) yield { id: l.id, name: l.name, country: l.country };
    },
    *deals(range) {
      const { start, end } = resolveRange(range, ctx.plan.deals);
      for (let i = start; i < end; i++) {
        const { customer, stage } = dealHeadAt(ctx, i);
        if (stage === "closed_lost") continue;
        yield { id: dealId(i), account_id: customer.id, currency: customer.currency };
      }
    },
    *salesOrders(range) {
      for (const b of salesOrderBundles(range)) yield b.order;
    },
    *salesOrderLines(range) {
      for (const b of salesOrderBundles(range)) yield* b.lines;
    },
    salesOrderBundles,
    *purchaseOrders(range) {
      const { start, end } = resolveRange(range, ctx.plan.purchaseOrders);
      for (let i = start; i < end; i++) yield purchaseOrderAt(ctx, i);
    },
  };
}

import { createWorld } from "@toolpacks/world";

/** The 10^5-row world the conformance kit checks largest pages on, where every page fills up. */
export const FULL_PAGES_WORLD = { scale: 100_000, seed: 1 } as const;

/**
 * Largest id-list calls whose ids all exist in `FULL_PAGES_WORLD`. The kit counts ids up from the
 * examples' (`SO-0000001`, `SO-0000002`, ...), but sales orders skip numbers (only won deals have
 * one), so most counted-up ids answer "not found" and the page never fills. The world generates
 * lazily: taking the first orders costs milliseconds.
 */
export function fullPageIdCalls(): Record<string, Array<Record<string, unknown>>> {
  const orders: Array<{ id: string; deal_id: string }> = [];
  for (const order of createWorld(FULL_PAGES_WORLD).erp.salesOrders()) {
    orders.push(order);
    if (orders.length === 100) break;
  }
  return {
    order_status: [{ order_ids: orders.slice(0, 20).map((o) => o.id) }],
    orders_for_deals: [{ deal_ids: orders.map((o) => o.deal_id) }],
  };
}

import { createWorld } from "@toolpacks/world";

/** The 10^5-row world the conformance kit checks largest pages on, where every page fills up. */
export const FULL_PAGES_WORLD = { scale: 100_000, seed: 1 } as const;

/**
 * Largest calls the kit cannot derive on its own: `shipment_status` with its most order ids
 * (orders that shipped in `FULL_PAGES_WORLD`, so each answers with lines and shipments) on top
 * of its largest page of delivered shipments, and `available_to_promise` with its most lines
 * (an array of objects, which the kit does not fill). The world generates lazily.
 */
export function fullPageCalls(): Record<string, Array<Record<string, unknown>>> {
  const world = createWorld(FULL_PAGES_WORLD);
  const shipped: string[] = [];
  for (const shipment of world.warehouse.shipments()) {
    if (!shipped.includes(shipment.sales_order_id)) shipped.push(shipment.sales_order_id);
    if (shipped.length === 20) break;
  }
  return {
    shipment_status: [
      { limit: 20 },
      { status: "delivered", limit: 20 },
      { order_ids: shipped, status: "delivered", limit: 20 },
    ],
    available_to_promise: [
      {
        lines: world
          .products()
          .slice(0, 25)
          .map((p) => ({ sku: p.sku, quantity: 5 })),
      },
    ],
  };
}

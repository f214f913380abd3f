import type { ReadStore } from "@toolpacks/pack-kit";
import type { TypicalCall } from "@toolpacks/pack-kit/testing";

/**
 * One typical question per tool, as warehouse operations would ask it. The measurement script and
 * the README table use this list, so the figures describe the same calls. A shipped order is looked
 * up in the store (which orders shipped depends on the world's scale).
 */
export async function typicalCalls(store: ReadStore): Promise<TypicalCall[]> {
  const shipped = await store.first<{ sales_order_id: string }>(
    "SELECT sales_order_id FROM wh_shipments ORDER BY shipped_on DESC, id LIMIT 1",
  );
  const order = [
    { sku: "SKU-00001", quantity: 4 },
    { sku: "SKU-00003", quantity: 2 },
    { sku: "SKU-00007", quantity: 10 },
  ];
  return [
    {
      tool: "available_to_promise",
      args: { lines: order },
      question: "Can we promise these 3 lines, and from where?",
    },
    {
      tool: "low_stock",
      args: {},
      question: "What is below its reorder point, and how much should we order?",
    },
    {
      tool: "inventory_valuation",
      args: { limit: 5 },
      question: "What is our stock worth, by location and category?",
    },
    { tool: "sync_status", args: {}, question: "How fresh is the stock data, and did its last sync fail?" },
    { tool: "movement_summary", args: { limit: 5 }, question: "What moved in the last 30 days?" },
    {
      tool: "shipment_status",
      args: { order_ids: [shipped?.sales_order_id ?? "SO-0000001"], limit: 5 },
      question: "What is in transit, and where is this order?",
    },
    {
      tool: "reserve_stock",
      args: { order_id: "SO-9000001", lines: order },
      question: "Reserve stock for SO-9000001",
    },
    {
      tool: "release_reservation",
      args: { order_id: "SO-9000001" },
      question: "Release SO-9000001's reservation",
    },
    {
      tool: "create_shipment",
      args: { order_id: shipped?.sales_order_id ?? "SO-0000001" },
      question: "Ship a shipped order (replays)",
    },
  ];
}

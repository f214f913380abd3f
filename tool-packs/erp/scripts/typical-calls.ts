import type { ReadStore } from "@toolpacks/pack-kit";
import type { TypicalCall } from "@toolpacks/pack-kit/testing";

/**
 * One typical question per tool, as order operations would ask it. The measurement script and
 * the README table use this list, so the figures describe the same calls. Ids that depend on the
 * world's scale (a confirmed order) are looked up in the store.
 */
export async function typicalCalls(store: ReadStore): Promise<TypicalCall[]> {
  const confirmed = await store.first<{ id: string }>(
    "SELECT id FROM erp_sales_orders WHERE status = 'confirmed' ORDER BY id LIMIT 1",
  );
  // A deal the CRM has (won or open) that has no order yet: what create_sales_order is for.
  const deal = await store.first<{ id: string; account_id: string; currency: "USD" | "EUR" | "GBP" }>(
    `SELECT id, account_id, currency FROM erp_deals d
     WHERE NOT EXISTS (SELECT 1 FROM erp_sales_orders o WHERE o.deal_id = d.id) ORDER BY id LIMIT 1`,
  );
  return [
    { tool: "order_status", args: { order_ids: ["SO-0000001"] }, question: "Where is order SO-0000001?" },
    {
      tool: "orders_for_deals",
      args: { deal_ids: Array.from({ length: 25 }, (_, i) => `D-${String(i + 1).padStart(7, "0")}`) },
      question: "Which of these 25 deals have a sales order?",
    },
    { tool: "open_orders", args: {}, question: "Which orders have not shipped, by status and customer?" },
    { tool: "order_to_cash_by_customer", args: {}, question: "Which customers have the most open orders?" },
    { tool: "purchase_orders", args: {}, question: "Which purchase orders are open, and which are overdue?" },
    { tool: "sync_status", args: {}, question: "How fresh is the ERP's data, and did its last sync fail?" },
    {
      tool: "supplier_lead_times",
      args: { sku: "SKU-00001" },
      question: "Who supplies SKU-00001 and how long does it take?",
    },
    { tool: "item_margins", args: { limit: 5 }, question: "Which items made the most margin this quarter?" },
    {
      tool: "create_sales_order",
      args: {
        deal_id: deal?.id,
        account_id: deal?.account_id,
        currency: deal?.currency,
        lines: [{ sku: "SKU-00001", quantity: 2, net_unit_price_minor: 39_500 }],
      },
      question: "Create the order of a deal that has none",
    },
    {
      tool: "confirm_sales_order",
      args: { order_id: confirmed?.id },
      question: "Confirm a confirmed order (no change)",
    },
    {
      tool: "record_shipment",
      args: { order_id: confirmed?.id },
      question: "The warehouse shipped a confirmed order: record it",
    },
    {
      tool: "create_purchase_order",
      args: { sku: "SKU-00002", quantity: 50, location_id: "WH-01" },
      question: "Order 50 x SKU-00002 into WH-01",
    },
  ];
}

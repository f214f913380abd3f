// Turns closed-won deals without a sales order into orders, over MCP, on a small seeded world:
//   npx tsx examples/create-missing-orders.ts
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { createErpPack } from "@toolpacks/erp";
import { createPackServer, preparePackStore } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { createWorld } from "@toolpacks/world";

/** Finds the deals among `dealIds` without an order, creates one per deal, and confirms it. */
export async function main(dealIds?: string[]) {
  const pack = createErpPack();
  const store = openSqliteStore(); // or a file: openSqliteStore("erp.db")
  await preparePackStore(store, pack, { scale: 2_000, seed: 1 });
  const server = createPackServer(pack, { store });
  const client = new Client({ name: "example", version: "1.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  const call = async <T>(name: string, args: Record<string, unknown>, key?: string): Promise<T> => {
    const result = await client.callTool({
      name,
      arguments: args,
      ...(key ? { _meta: { "toolpacks.dev/idempotencyKey": key } } : {}),
    });
    if (result.isError) throw new Error(JSON.stringify(result.content));
    return result.structuredContent as T;
  };

  // The CRM pack would answer this with deals_closed; here the world stands in for it.
  const world = createWorld({ scale: 2_000, seed: 1 });
  const won = [...world.crm.dealBundles()].filter((b) => b.deal.stage === "closed_won");
  const wanted = dealIds ?? won.map((b) => b.deal.id);
  const gap = await call<{ with_order: number; missing: string[] }>("orders_for_deals", {
    deal_ids: wanted.slice(0, 100),
  });
  const created: string[] = [];
  for (const dealId of gap.missing) {
    const { deal, lines } = won.find((b) => b.deal.id === dealId)!;
    const order = await call<{ order_id: string }>(
      "create_sales_order",
      {
        deal_id: deal.id,
        account_id: deal.account_id,
        currency: deal.currency,
        // The CRM's deals_closed gives these lines as { sku, quantity, net_unit_price_minor }.
        lines: lines.map(({ sku, quantity, unit_price_minor }) => ({
          sku,
          quantity,
          net_unit_price_minor: unit_price_minor,
        })),
      },
      `order-for-${deal.id}`, // the same key on a retry never creates a second order
    );
    await call("confirm_sales_order", { order_id: order.order_id }, `confirm-${order.order_id}`);
    created.push(order.order_id);
  }
  const open = await call<{ totals: { orders: number } }>("open_orders", { limit: 3 });
  await client.close();
  await store.close();
  return { had_orders: gap.with_order, created, open_orders: open.totals.orders };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main());

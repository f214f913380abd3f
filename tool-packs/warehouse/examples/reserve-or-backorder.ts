// Reserves stock for an order when it can be served, or reports what to buy when it cannot,
// over MCP on a small seeded world:   npx tsx examples/reserve-or-backorder.ts
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { createPackServer, preparePackStore } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { createWarehousePack } from "@toolpacks/warehouse";

interface Reservation {
  status: "reserved" | "short" | "shipped";
  reservation_id: string | null;
  allocations: Array<{ sku: string; location_id: string; quantity: number }>;
  shortages: Array<{ sku: string; short_by: number; best_location_id: string | null }>;
}

/** Checks, then reserves and ships one order that fits and one that does not. */
export async function main() {
  const pack = createWarehousePack();
  const store = openSqliteStore(); // or a file: openSqliteStore("warehouse.db")
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

  const small = [
    { sku: "SKU-00001", quantity: 4 },
    { sku: "SKU-00003", quantity: 2 },
  ];
  const atp = await call<{ whole_order_from: string[] }>("available_to_promise", { lines: small });
  const fits = await call<Reservation>(
    "reserve_stock",
    { order_id: "SO-9000001", lines: small },
    "reserve-SO-9000001",
  );
  const shipment = await call<{ shipments: Array<{ id: string; units: number }> }>(
    "create_shipment",
    { order_id: "SO-9000001", carrier: "DHL" },
    "ship-SO-9000001",
  );
  // Too much for any warehouse: nothing is reserved, and the answer says what to buy.
  const big = [{ sku: "SKU-00002", quantity: 100_000 }];
  const short = await call<Reservation>(
    "reserve_stock",
    { order_id: "SO-9000002", lines: big },
    "reserve-SO-9000002",
  );
  await client.close();
  await store.close();
  return {
    one_location_can_serve: atp.whole_order_from,
    reserved: fits.allocations,
    shipments: shipment.shipments,
    backorder: short.shortages.map((s) => ({ sku: s.sku, buy: s.short_by, into: s.best_location_id })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main());

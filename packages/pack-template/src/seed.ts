import { insertRows, type Store, setAsOf } from "@toolpacks/pack-kit";
import { createWorld } from "@toolpacks/world";
import { STATUSES } from "./schemas.js";

/** A tiny deterministic hash-mix (murmur3 finaliser): the same (seed, index) gives the same record. */
function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Fills an empty, migrated store with records for the shared world's customers, so the ids
 * join with the other packs. Replace the record shape with your system's when you build a pack.
 */
export async function seedStarter(store: Store, options: { scale: number; seed: number }): Promise<void> {
  const world = createWorld({ scale: options.scale, seed: options.seed });
  const customers = world.customers();
  const count = Math.max(10, Math.floor(options.scale / 10));
  const day0 = Date.parse(`${world.asOf}T00:00:00Z`);
  function* records() {
    for (let i = 0; i < count; i++) {
      const r = mix(options.seed * 7919 + i);
      const customer = customers[r % customers.length]!;
      yield {
        id: `R-${String(i + 1).padStart(6, "0")}`,
        customer_id: customer.id,
        status: STATUSES[(r >>> 8) % STATUSES.length]!,
        amount_minor: 1_000 + ((r >>> 4) % 500_000),
        currency: customer.currency,
        opened_on: new Date(day0 - ((r >>> 12) % 365) * 86_400_000).toISOString().slice(0, 10),
      };
    }
  }
  // Multi-row INSERTs within D1's 100-parameter bound, in bounded atomic batches: flat memory at any scale.
  await insertRows(
    store,
    "starter_records",
    ["id", "customer_id", "status", "amount_minor", "currency", "opened_on"],
    records(),
  );
  await setAsOf(store, world.asOf);
}

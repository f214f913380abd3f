import { type PushResult, type SourceWrite, SyncError } from "@toolpacks/pack-kit";
import type { ShopifyGraphql } from "./client.js";
import { ADJUST, ITEMS_BY_SKU, LOCATIONS, MOVE } from "./queries.js";
import type { ApiConnection, ApiInventoryPayload, ApiLocation } from "./shapes.js";

/** One stock line a warehouse write changes: units of a SKU at a location (by name). */
interface StockLine {
  sku: string;
  location_id: string;
  quantity: number;
}

/** What a write does to Shopify's quantity states, per line. */
type Plan =
  | { kind: "move"; from: string; to: string; reason: string; reference: string; lines: StockLine[] }
  | { kind: "adjust"; name: string; reason: string; reference: string; lines: StockLine[] };

const linesOf = (value: unknown): StockLine[] => (Array.isArray(value) ? (value as StockLine[]) : []);
const uri = (kind: string, id: unknown) =>
  `gid://toolpacks-warehouse/${kind}/${encodeURIComponent(String(id))}`;

/**
 * The Shopify change of a warehouse write, from the answer it planned: a reservation moves units
 * from `available` to `reserved` (its ledger document is the reservation), a release moves them
 * back, a shipment takes them out of `reserved` (so out of on hand). Undefined: nothing to send.
 */
function planOf(write: SourceWrite): Plan | undefined {
  const r = write.result;
  if (write.tool === "reserve_stock" && r["created"] === true) {
    const reference = uri("Reservation", r["reservation_id"]);
    const lines = linesOf(r["allocations"]);
    return {
      kind: "move",
      from: "available",
      to: "reserved",
      reason: "reservation_created",
      reference,
      lines,
    };
  }
  if (write.tool === "release_reservation" && r["changed"] === true) {
    const reference = uri("Reservation", r["reservation_id"]);
    const lines = linesOf(r["lines"]);
    return {
      kind: "move",
      from: "reserved",
      to: "available",
      reason: "reservation_deleted",
      reference,
      lines,
    };
  }
  if (write.tool === "create_shipment" && r["created"] === true) {
    const reference = uri("Reservation", r["reservation_id"]);
    return { kind: "adjust", name: "reserved", reason: "other", reference, lines: linesOf(r["lines"]) };
  }
  return undefined;
}

/**
 * Applies one warehouse write in Shopify before the store records it, as ONE inventory mutation
 * (all its lines or none) carrying `key` in Shopify's `@idempotent(key:)` directive, so a retried
 * call (after a timeout, a lost answer, a crash before the store recorded it) is applied once.
 * Items are found by SKU and locations by name first (queries, never writes); one Shopify does not
 * have is `source_refused` before any mutation. Shopify's `userErrors` are `source_refused` with
 * its messages (nothing applied); a timeout is `source_unavailable` and asks for a retry with the
 * same key. A write with no Shopify equivalent is `unsupported_write`.
 */
export async function pushToShopify(
  shopify: ShopifyGraphql,
  write: SourceWrite,
  key: string,
): Promise<PushResult> {
  const plan = planOf(write);
  if (!plan || plan.lines.length === 0) {
    throw new SyncError(
      "unsupported_write",
      `${write.tool} has no Shopify inventory change the warehouse pack writes back, and this store is kept in sync with Shopify, so nothing was written. Fix: make the change in Shopify admin; the next sync brings it in.`,
    );
  }
  const locations = await locationIds(shopify, plan.lines);
  const items = await itemIds(shopify, plan.lines);
  const ledger = (name: string) => (name === "available" ? {} : { ledgerDocumentUri: plan.reference });
  try {
    const answer =
      plan.kind === "move"
        ? await shopify
            .request<{ inventoryMoveQuantities: ApiInventoryPayload }>(
              MOVE,
              {
                key,
                input: {
                  reason: plan.reason,
                  referenceDocumentUri: plan.reference,
                  changes: plan.lines.map((l) => ({
                    inventoryItemId: items.get(l.sku),
                    quantity: l.quantity,
                    from: { locationId: locations.get(l.location_id), name: plan.from, ...ledger(plan.from) },
                    to: { locationId: locations.get(l.location_id), name: plan.to, ...ledger(plan.to) },
                  })),
                },
              },
              `${write.tool} (inventoryMoveQuantities)`,
            )
            .then((a) => a.inventoryMoveQuantities)
        : await shopify
            .request<{ inventoryAdjustQuantities: ApiInventoryPayload }>(
              ADJUST,
              {
                key,
                input: {
                  name: plan.name,
                  reason: plan.reason,
                  referenceDocumentUri: plan.reference,
                  changes: plan.lines.map((l) => ({
                    inventoryItemId: items.get(l.sku),
                    locationId: locations.get(l.location_id),
                    delta: -l.quantity,
                    ledgerDocumentUri: plan.reference,
                    // Explicitly no compare-and-set: the pack's own plan checked the quantities.
                    changeFromQuantity: null,
                  })),
                },
              },
              `${write.tool} (inventoryAdjustQuantities)`,
            )
            .then((a) => a.inventoryAdjustQuantities);
    if (answer.userErrors.length > 0 || !answer.inventoryAdjustmentGroup) {
      throw new SyncError(
        "source_refused",
        `Shopify refused ${write.tool}: ${answer.userErrors.map((e) => e.message).join("; ") || "no adjustment group returned"}.`,
      );
    }
    // Shopify answers a repeated key with the first answer and does not say it was a replay.
    return { sourceId: answer.inventoryAdjustmentGroup.id, replayed: false };
  } catch (error) {
    if (error instanceof SyncError && error.code === "source_unavailable") {
      throw new SyncError(
        "source_unavailable",
        `${error.message} Shopify may or may not have applied it; retry the call with the same idempotency key: Shopify applies it once.`,
        { ...(error.status === undefined ? {} : { status: error.status }), cause: error },
      );
    }
    throw error;
  }
}

async function locationIds(
  shopify: ShopifyGraphql,
  lines: readonly StockLine[],
): Promise<Map<string, string>> {
  const wanted = new Set(lines.map((l) => l.location_id));
  const found = new Map<string, string>();
  let after: string | null = null;
  do {
    const answer: { locations: ApiConnection<ApiLocation> } = await shopify.request(
      LOCATIONS,
      { first: 250, after },
      "finding the locations to write to",
    );
    for (const l of answer.locations.nodes) if (wanted.has(l.name)) found.set(l.name, l.id);
    after = answer.locations.pageInfo.hasNextPage ? answer.locations.pageInfo.endCursor : null;
  } while (after && found.size < wanted.size);
  const missing = [...wanted].filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw new SyncError(
      "source_refused",
      `Shopify has no active location named ${missing.join(", ")}, so nothing was written. Fix: sync again (the location may have been renamed or deactivated).`,
    );
  }
  return found;
}

const quoted = (sku: string) => `'${sku.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

async function itemIds(shopify: ShopifyGraphql, lines: readonly StockLine[]): Promise<Map<string, string>> {
  const skus = [...new Set(lines.map((l) => l.sku))];
  const answer = await shopify.request<{
    productVariants: { nodes: Array<{ id: string; sku: string | null; inventoryItem: { id: string } }> };
  }>(
    ITEMS_BY_SKU,
    { first: 250, query: skus.map((s) => `sku:${quoted(s)}`).join(" OR ") },
    "finding the inventory items to write to",
  );
  const found = new Map<string, string[]>();
  // Shopify's search matches loosely: only an exact SKU counts.
  for (const v of answer.productVariants.nodes) {
    if (v.sku && skus.includes(v.sku)) found.set(v.sku, [...(found.get(v.sku) ?? []), v.inventoryItem.id]);
  }
  const missing = skus.filter((s) => !found.has(s));
  const twice = skus.filter((s) => (found.get(s)?.length ?? 0) > 1);
  if (missing.length > 0 || twice.length > 0) {
    throw new SyncError(
      "source_refused",
      `${missing.length > 0 ? `Shopify has no variant with SKU ${missing.join(", ")}` : `SKU ${twice.join(", ")} is on more than one Shopify variant`}, so nothing was written. Fix: give each variant its own SKU in Shopify admin, then sync again.`,
    );
  }
  return new Map([...found].map(([sku, ids]) => [sku, ids[0] as string]));
}

import { CellError, type DomainRow, parseMoney, type RejectedRow } from "@toolpacks/pack-kit";
import { SHOPIFY_DEFAULT_CURRENCY, SHOPIFY_REORDER_POINT, variantName } from "../index.js";
import type { ApiInventoryLevel, ApiLocation, ApiVariant } from "./shapes.js";

/*
 * Admin GraphQL objects -> warehouse rows, the same model as the CSV connector: a location is
 * keyed by its name (the CSV names locations only), a variant with a SKU is an item, an inventory
 * level is a stock row with on hand = `on_hand` and reserved = `committed` + the unavailable
 * states, so available is Shopify's `available`. A record that cannot be read is a rejection
 * naming the object and field, never a thrown error.
 */

/** What mapping one object gave: its rows, or why it was rejected. */
export interface Mapped {
  rows: DomainRow[];
  rejected: RejectedRow[];
}

const origin = (id: string) => ({ file: `shopify ${id}`, line: 0 });

function mapped(id: string, build: () => DomainRow[]): Mapped {
  try {
    return { rows: build(), rejected: [] };
  } catch (error) {
    if (!(error instanceof CellError)) throw error;
    const field = (error as CellError & { field?: string }).field;
    return {
      rows: [],
      rejected: [{ ...origin(id), ...(field ? { column: field } : {}), reason: error.message }],
    };
  }
}

/** A location -> a location row (id = its name, as in the inventory CSV). */
export function locationRows(l: ApiLocation): Mapped {
  return mapped(l.id, () => [
    {
      table: "wh_locations",
      sourceId: l.id,
      origin: origin(l.id),
      values: {
        id: l.name,
        name: l.name,
        city: l.address.city?.trim() || "unknown",
        country: l.address.countryCode?.toUpperCase() || "ZZ",
      },
    },
  ]);
}

/** A variant -> an item (none for a variant without SKU: it cannot be told apart). */
export function variantRows(v: ApiVariant): Mapped {
  const sku = v.sku?.trim() ?? "";
  if (sku === "") return { rows: [], rejected: [] };
  return mapped(v.id, () => {
    const currency = (v.inventoryItem.unitCost?.currencyCode ?? SHOPIFY_DEFAULT_CURRENCY).toUpperCase();
    const amount = v.inventoryItem.unitCost?.amount;
    // No cost entered: valued at zero, as the CSV import does.
    const cost = amount === undefined ? 0 : parseMoney(amount, { currency }).minor;
    if (cost < 0) throw new CellError("negative_cost", "the inventory item's unit cost is negative.");
    return [
      {
        table: "wh_items",
        sourceId: v.id,
        origin: origin(v.id),
        values: {
          sku,
          name: variantName(
            v.product.title,
            v.selectedOptions.map((o) => o.value),
          ),
          category: v.product.productType.trim() || "Uncategorized",
          unit_cost_minor: cost,
          currency,
        },
      },
    ];
  });
}

const UNAVAILABLE = ["reserved", "damaged", "quality_control", "safety_stock"];

/**
 * A level of the item with `sku` -> a stock row. Shopify keeps no reorder point: a row the sync
 * inserts gets `SHOPIFY_REORDER_POINT`, and a later sync never overwrites one set in the pack.
 */
export function levelRows(level: ApiInventoryLevel, sku: string): Mapped {
  return mapped(level.id, () => {
    const quantity = (name: string) => level.quantities.find((q) => q.name === name)?.quantity ?? 0;
    const onHand = quantity("on_hand");
    const reserved = quantity("committed") + UNAVAILABLE.reduce((n, name) => n + quantity(name), 0);
    if (onHand < 0 || reserved < 0) {
      throw new CellError(
        "negative_stock",
        `on hand ${onHand} (committed + unavailable ${reserved}) of ${sku} at ${level.location.name} is negative: the variant is oversold; the warehouse pack holds no negative stock. Set it to 0 in Shopify.`,
      );
    }
    if (reserved > onHand) {
      throw new CellError(
        "reserved_above_on_hand",
        `committed + unavailable (${reserved}) of ${sku} at ${level.location.name} is above on hand (${onHand}); sync again once Shopify settles the counts.`,
      );
    }
    return [
      {
        table: "wh_stock",
        sourceId: level.id,
        origin: origin(level.id),
        derived: ["reorder_point"],
        values: {
          sku,
          location_id: level.location.name,
          on_hand: onHand,
          reserved,
          reorder_point: SHOPIFY_REORDER_POINT,
        },
      },
    ];
  });
}

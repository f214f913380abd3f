import { QUANTITY_NAMES } from "./shapes.js";

/*
 * The Admin GraphQL documents the connector sends. Each is a named operation (the test fake
 * answers by operation name) selecting exactly the fields of `shapes.ts`.
 */

const QUANTITIES = `quantities(names: ${JSON.stringify(QUANTITY_NAMES)}) { name quantity }`;
const VARIANT_FIELDS = `id sku title updatedAt selectedOptions { name value } product { title productType }`;
const ITEM = `inventoryItem { id unitCost { amount currencyCode } }`;

/** Every location, a page at a time. */
export const LOCATIONS = `query ToolpacksLocations($first: Int!, $after: String) {
  locations(first: $first, after: $after, includeInactive: false) {
    nodes { id name isActive address { city countryCode } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/**
 * The first load's bulk query: every variant with its inventory item and its levels at every
 * location. Bulk output flattens the nested `inventoryLevels` connection into JSONL lines whose
 * `__parentId` is the variant's id.
 */
export const BULK_QUERY = `{
  productVariants {
    edges { node {
      ${VARIANT_FIELDS}
      inventoryItem { id unitCost { amount currencyCode }
        inventoryLevels { edges { node { id updatedAt location { id name } ${QUANTITIES} } } }
      }
    } }
  }
}`;

/**
 * Starts a bulk query; its answer names the operation or says why not (`userErrors`).
 * `groupObjects: true` because since API 2026-01 the default is false, and ungrouped output may
 * put an inventory level before its variant; the sync streams the file and needs each variant
 * (its SKU) before its levels.
 */
export const BULK_RUN = `mutation ToolpacksBulkRun($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

/** Polls a bulk operation by id. */
export const BULK_POLL = `query ToolpacksBulkPoll($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount url partialDataUrl } }
}`;

/** Variants changed since a time (`query: "updated_at:>='…'"`), a page at a time. */
export const VARIANTS_SINCE = `query ToolpacksVariantsSince($first: Int!, $after: String, $query: String!) {
  productVariants(first: $first, after: $after, query: $query) {
    nodes { ${VARIANT_FIELDS} ${ITEM} }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** One location's inventory levels changed since a time, each with its variant's SKU. */
export const LEVELS_SINCE = `query ToolpacksLevelsSince($location: ID!, $first: Int!, $after: String, $query: String!) {
  location(id: $location) {
    inventoryLevels(first: $first, after: $after, query: $query) {
      nodes { id updatedAt location { id name } ${QUANTITIES} item { id variant { id sku } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** The inventory items of some SKUs (write-back finds what to change in Shopify by SKU). */
export const ITEMS_BY_SKU = `query ToolpacksItemsBySku($first: Int!, $query: String!) {
  productVariants(first: $first, query: $query) { nodes { id sku inventoryItem { id } } }
}`;

/** Moves units between quantity states at a location, applied once per idempotency key. */
export const MOVE = `mutation ToolpacksMove($input: InventoryMoveQuantitiesInput!, $key: String!) {
  inventoryMoveQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason referenceDocumentUri }
    userErrors { field message code }
  }
}`;

/** Adjusts a quantity state by a delta, applied once per idempotency key. */
export const ADJUST = `mutation ToolpacksAdjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason referenceDocumentUri }
    userErrors { field message code }
  }
}`;

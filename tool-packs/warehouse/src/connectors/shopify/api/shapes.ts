/*
 * The fields of Shopify Admin GraphQL objects the warehouse sync and write-back read, as Shopify
 * documents them (API version `SHOPIFY_API_VERSION`). `@shopify/admin-api-client` ships no schema
 * types (its operations are typed only through codegen against a live shop), so these are written
 * from the reference docs; the test fake serves exactly these types, so connector and fake are
 * checked against the same declarations by the compiler.
 */

/** A GraphQL global id, `gid://shopify/Location/1`. */
export type Gid = string;

/** `Location`: where stock is kept. */
export interface ApiLocation {
  id: Gid;
  name: string;
  isActive: boolean;
  address: { city: string | null; countryCode: string | null };
}

/** `InventoryQuantity` of a level: one named state (`on_hand`, `committed`, `reserved` …). */
export interface ApiQuantity {
  name: string;
  quantity: number;
}

/** The quantity names the sync reads; `unavailable` is damaged + quality_control + reserved + safety_stock. */
export const QUANTITY_NAMES = [
  "on_hand",
  "committed",
  "reserved",
  "damaged",
  "quality_control",
  "safety_stock",
] as const;

/** `InventoryLevel` of an item at a location. */
export interface ApiInventoryLevel {
  id: Gid;
  updatedAt: string;
  location: { id: Gid; name: string };
  quantities: ApiQuantity[];
}

/** `ProductVariant` with its product and inventory item, as the sync reads it. */
export interface ApiVariant {
  id: Gid;
  sku: string | null;
  title: string;
  updatedAt: string;
  selectedOptions: Array<{ name: string; value: string }>;
  product: { title: string; productType: string };
  inventoryItem: {
    id: Gid;
    unitCost: { amount: string; currencyCode: string } | null;
  };
}

/** An increment's inventory level: the level with its item's variant (for the SKU). */
export interface ApiLevelWithItem extends ApiInventoryLevel {
  item: { id: Gid; variant: { id: Gid; sku: string | null } | null };
}

/** `PageInfo` of a connection. */
export interface ApiPageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A connection page (`nodes` form). */
export interface ApiConnection<T> {
  nodes: T[];
  pageInfo: ApiPageInfo;
}

/** `BulkOperationStatus`. */
export type ApiBulkStatus =
  | "CREATED"
  | "RUNNING"
  | "COMPLETED"
  | "CANCELING"
  | "CANCELED"
  | "FAILED"
  | "EXPIRED";

/** `BulkOperation`, as the sync polls it. */
export interface ApiBulkOperation {
  id: Gid;
  status: ApiBulkStatus;
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  objectCount: string;
  url: string | null;
  partialDataUrl: string | null;
}

/** One line of a bulk operation's JSONL: a variant, or an inventory level with `__parentId`. */
export type ApiBulkLine = ApiVariant | (ApiInventoryLevel & { __parentId: Gid });

/** A mutation's `userErrors` entry. */
export interface ApiUserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

/** `InventoryAdjustmentGroup`, as write-back reads a mutation's answer. */
export interface ApiAdjustmentGroup {
  id: Gid;
  reason: string;
  referenceDocumentUri: string | null;
}

/** Payload of `inventoryMoveQuantities` / `inventoryAdjustQuantities`. */
export interface ApiInventoryPayload {
  inventoryAdjustmentGroup: ApiAdjustmentGroup | null;
  userErrors: ApiUserError[];
}

/** `extensions.cost` of every Admin GraphQL answer (calculated query cost and the bucket). */
export interface ApiCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

/** A top-level GraphQL error (`errors[]`), e.g. `{ message: "Throttled", extensions: { code: "THROTTLED" } }`. */
export interface ApiGraphqlError {
  message: string;
  extensions?: { code?: string };
}

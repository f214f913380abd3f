import {
  type ColumnAliases,
  type CsvTable,
  ImportError,
  type ResolvedColumns,
  readCsv,
  resolveColumns,
  type SourceFile,
} from "@toolpacks/pack-kit";

/**
 * Shopify's products CSV (Products > Export) by field: the classic headers first, then the
 * 2024 export's renamed ones (`URL handle`, `SKU`, `Price`). Matching ignores case and spaces.
 */
export const PRODUCT_COLUMNS = {
  handle: ["Handle", "URL handle"],
  title: ["Title"],
  type: ["Type", "Product type"],
  category: ["Product Category", "Product category"],
  option1: ["Option1 Value", "Option1 value"],
  option2: ["Option2 Value", "Option2 value"],
  option3: ["Option3 Value", "Option3 value"],
  sku: ["Variant SKU", "SKU"],
  price: ["Variant Price", "Price"],
  cost: ["Cost per item", "Cost"],
  currency: ["Currency"],
} as const satisfies ColumnAliases<string>;

/**
 * Shopify's inventory CSV (Products > Inventory > Export, all locations): one row per variant
 * and location, quantities in the "(not editable)" state columns and "On hand (current)".
 */
export const INVENTORY_COLUMNS = {
  handle: ["Handle"],
  title: ["Title"],
  option1: ["Option1 Value"],
  option2: ["Option2 Value"],
  option3: ["Option3 Value"],
  sku: ["SKU", "Variant SKU"],
  location: ["Location"],
  onHand: ["On hand (current)", "On hand"],
  committed: ["Committed (not editable)", "Committed"],
  unavailable: ["Unavailable (not editable)", "Unavailable"],
  available: ["Available (not editable)", "Available"],
  reorderPoint: ["Reorder point", "Reorder level", "Min stock"],
} as const satisfies ColumnAliases<string>;

/** One Shopify export, recognised. */
export type ShopifyExport =
  | { kind: "products"; table: CsvTable; at: ResolvedColumns<keyof typeof PRODUCT_COLUMNS> }
  | { kind: "inventory"; table: CsvTable; at: ResolvedColumns<keyof typeof INVENTORY_COLUMNS> };

/**
 * Reads a file and tells which Shopify export it is: an inventory file has Location and On hand
 * (or Available) columns, a products file a handle and a SKU column. Throws `ImportError`
 * `unknown_export` otherwise.
 */
export function recogniseShopifyExport(file: SourceFile): ShopifyExport {
  const table = readCsv(file.name, file.text);
  const inventory = resolveColumns(table.headers, INVENTORY_COLUMNS);
  if (inventory.location && inventory.sku && (inventory.onHand || inventory.available)) {
    return { kind: "inventory", table, at: inventory };
  }
  const products = resolveColumns(table.headers, PRODUCT_COLUMNS);
  if (products.handle && products.sku && products.title) return { kind: "products", table, at: products };
  throw new ImportError(
    "unknown_export",
    `${file.name} is not a Shopify products or inventory CSV. Products > Export gives Handle, Title, Variant SKU, Cost per item …; Products > Inventory > Export gives Handle, SKU, Location, Committed, Available, On hand …. Found: ${table.headers.slice(0, 20).join(", ")}.`,
    { file: file.name, line: 1 },
  );
}

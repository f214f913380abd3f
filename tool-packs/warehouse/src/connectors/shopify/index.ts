import {
  CellError,
  type Connector,
  type CsvRecord,
  type DomainRow,
  ImportError,
  type PullBatch,
  parseMoney,
  RecordReader,
  type SourceFile,
} from "@toolpacks/pack-kit";
import { recogniseShopifyExport, type ShopifyExport } from "./columns.js";

/**
 * Shopify has no reorder points: imported stock gets 1, so low_stock lists what is sold out at a
 * location (nothing available) until a `Reorder point` column says otherwise.
 */
export const SHOPIFY_REORDER_POINT = 1;
/** Shopify's CSVs carry no currency: costs are in the store's currency, USD unless a Currency column says. */
export const SHOPIFY_DEFAULT_CURRENCY = "USD";

/**
 * Shopify products and inventory CSVs -> warehouse tables. Each variant with a SKU is an item
 * (name = product title and its option values, category = product type, unit cost = Cost per
 * item); each inventory row stocked at a location is a stock row (on hand = On hand (current),
 * reserved = Committed + Unavailable, so available is Shopify's Available); each location named
 * is a location. Variants without SKU, image-only rows and "not stocked" rows are not imported. An
 * inventory row whose variant is not in the products export gets a placeholder item (no cost)
 * until the products export is imported.
 */
export const shopifyConnector: Connector = {
  name: "shopify",
  system: "shopify",
  description: "Shopify products CSV and inventory CSV (all locations)",
  pull({ files, mapping }) {
    return [pullShopify(files, mapping?.defaults ?? {})];
  },
};

function cell(record: CsvRecord, header: string | undefined): string {
  return header === undefined ? "" : (record.cells[header] ?? "").trim();
}

/** A whole number of units as Shopify writes it ("1,204"); "not stocked" is undefined. */
function units(text: string, what: string): number | undefined {
  if (text === "") return 0;
  if (/^not stocked$/i.test(text)) return undefined;
  const digits = text.replace(/^(-?)(\d{1,3}(,\d{3})+)$/, (_m, sign, n) => sign + n.replaceAll(",", ""));
  if (!/^-?\d+$/.test(digits))
    throw new CellError(
      "invalid_quantity",
      `${what} ${JSON.stringify(text.slice(0, 20))} is not a whole number of units.`,
    );
  return Number(digits);
}

/** A variant's item name as Shopify's admin shows it: the product title, then its option values. */
export function variantName(title: string, options: string[]): string {
  const real = options.filter((o) => o !== "" && o !== "Default Title");
  return real.length === 0 ? title : `${title} - ${real.join(" / ")}`;
}

/** The store's currency and the reorder point stock rows get when the file has no column for them. */
interface ShopifyOptions {
  currency: string;
  reorderPoint: number;
}

/**
 * A mapping file's `defaults` may set `currency` (the store's; Shopify's CSVs carry none) and
 * `reorder_point` (for every stock row without a Reorder point column).
 */
function pullShopify(files: readonly SourceFile[], defaults: Readonly<Record<string, string>>): PullBatch {
  const reader = new RecordReader();
  const items = new Map<string, DomainRow>();
  const stock: DomainRow[] = [];
  const locations = new Map<string, DomainRow>();
  const exports = files.map(recogniseShopifyExport);
  const currency = (defaults.currency ?? SHOPIFY_DEFAULT_CURRENCY).toUpperCase();
  const reorderDefault = defaults.reorder_point ?? String(SHOPIFY_REORDER_POINT);
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new ImportError(
      "invalid_mapping",
      `defaults.currency ${JSON.stringify(currency.slice(0, 10))} is not an ISO 4217 code such as EUR.`,
    );
  }
  if (!/^\d{1,9}$/.test(reorderDefault)) {
    throw new ImportError(
      "invalid_mapping",
      `defaults.reorder_point ${JSON.stringify(reorderDefault.slice(0, 12))} is not a whole number of units.`,
    );
  }
  const options: ShopifyOptions = { currency, reorderPoint: Number(reorderDefault) };
  for (const x of exports.filter((e) => e.kind === "products")) readProducts(x, reader, items, options);
  for (const x of exports.filter((e) => e.kind === "inventory"))
    readInventory(x, reader, items, stock, locations, options);
  return { rows: [...items.values(), ...locations.values(), ...stock], rejected: reader.rejected };
}

function readProducts(
  x: Extract<ShopifyExport, { kind: "products" }>,
  reader: RecordReader,
  items: Map<string, DomainRow>,
  options: ShopifyOptions,
): void {
  // Product-level cells (title, type) are written on a product's first row only.
  const products = new Map<string, { title: string; category: string }>();
  for (const record of x.table.records) {
    const handle = cell(record, x.at.handle);
    if (handle === "") continue;
    const title = cell(record, x.at.title);
    if (title !== "" && !products.has(handle)) {
      const type = cell(record, x.at.type);
      const category = type || (cell(record, x.at.category).split(">").at(-1)?.trim() ?? "");
      products.set(handle, { title, category: category || "Uncategorized" });
    }
    const sku = cell(record, x.at.sku);
    if (sku === "") continue; // an image row, or a variant Shopify holds without SKU
    const product = products.get(handle) ?? { title: handle, category: "Uncategorized" };
    const row = reader.read(x.table.file, record.line, (at) => {
      const currency = cell(record, x.at.currency).toUpperCase() || options.currency;
      const costText = cell(record, x.at.cost);
      // No cost entered: valued at zero (inventory_valuation counts its units, not its value).
      const cost = costText === "" ? 0 : at(x.at.cost, () => parseMoney(costText, { currency }).minor);
      if (cost < 0)
        at(x.at.cost, () => {
          throw new CellError("negative_cost", "the cost per item is negative.");
        });
      return {
        table: "wh_items",
        sourceId: sku,
        origin: { file: x.table.file, line: record.line },
        columns: { sku: x.at.sku ?? "Variant SKU", unit_cost_minor: x.at.cost ?? "Cost per item" },
        values: {
          sku,
          name: variantName(product.title, [
            cell(record, x.at.option1),
            cell(record, x.at.option2),
            cell(record, x.at.option3),
          ]),
          category: product.category,
          unit_cost_minor: cost,
          currency,
        },
      } satisfies DomainRow;
    });
    if (!row) continue;
    if (items.has(sku) && !items.get(sku)?.stub) {
      const first = items.get(sku) as DomainRow;
      reader.rejected.push({
        file: x.table.file,
        line: record.line,
        column: x.at.sku ?? "Variant SKU",
        reason: `SKU ${sku} is also on ${first.origin.file}:${first.origin.line}; each variant needs its own SKU.`,
      });
      continue;
    }
    items.set(sku, row);
  }
}

function readInventory(
  x: Extract<ShopifyExport, { kind: "inventory" }>,
  reader: RecordReader,
  items: Map<string, DomainRow>,
  stock: DomainRow[],
  locations: Map<string, DomainRow>,
  options: ShopifyOptions,
): void {
  for (const record of x.table.records) {
    const sku = cell(record, x.at.sku);
    const location = cell(record, x.at.location);
    if (sku === "") continue; // a variant without SKU cannot be told apart
    const row = reader.read(x.table.file, record.line, (at) => {
      if (location === "")
        at(x.at.location, () => {
          throw new CellError("blank", "the location is blank.");
        });
      const committed = at(x.at.committed, () => units(cell(record, x.at.committed), "Committed"));
      const unavailable = at(x.at.unavailable, () => units(cell(record, x.at.unavailable), "Unavailable"));
      const available = at(x.at.available, () => units(cell(record, x.at.available), "Available"));
      const onHandText = cell(record, x.at.onHand);
      const onHand = x.at.onHand
        ? at(x.at.onHand, () => units(onHandText, "On hand"))
        : available === undefined
          ? undefined
          : available + (committed ?? 0) + (unavailable ?? 0);
      if (onHand === undefined) return undefined; // not stocked at this location
      const reserved = (committed ?? 0) + (unavailable ?? 0);
      if (onHand < 0 || reserved < 0) {
        at(x.at.onHand ?? x.at.available, () => {
          throw new CellError(
            "negative_stock",
            `on hand ${onHand} (committed + unavailable ${reserved}) is negative: the variant is oversold; the warehouse pack holds no negative stock. Set it to 0 in Shopify, or leave the row out.`,
          );
        });
      }
      if (reserved > onHand) {
        at(x.at.committed, () => {
          throw new CellError(
            "reserved_above_on_hand",
            `committed + unavailable (${reserved}) is above on hand (${onHand}); export again after Shopify settles the variant's counts.`,
          );
        });
      }
      const reorderText = cell(record, x.at.reorderPoint);
      const reorderPoint =
        reorderText === ""
          ? options.reorderPoint
          : (at(x.at.reorderPoint, () => units(reorderText, "Reorder point")) ?? options.reorderPoint);
      return { onHand, reserved, reorderPoint };
    });
    if (!row) continue;
    const origin = { file: x.table.file, line: record.line };
    if (!locations.has(location)) {
      // Shopify's CSV names a location only: its city and country are not in the export.
      locations.set(location, {
        table: "wh_locations",
        sourceId: location,
        origin,
        values: { id: location, name: location, city: "unknown", country: "ZZ" },
        stub: true,
      });
    }
    if (!items.has(sku)) {
      items.set(sku, {
        table: "wh_items",
        sourceId: sku,
        origin,
        stub: true,
        values: {
          sku,
          name: variantName(cell(record, x.at.title) || cell(record, x.at.handle), [
            cell(record, x.at.option1),
            cell(record, x.at.option2),
            cell(record, x.at.option3),
          ]),
          category: "Uncategorized",
          unit_cost_minor: 0,
          currency: options.currency,
        },
      });
    }
    stock.push({
      table: "wh_stock",
      sourceId: `${sku}@${location}`,
      origin,
      columns: {
        sku: x.at.sku ?? "SKU",
        location_id: x.at.location ?? "Location",
        on_hand: x.at.onHand ?? "On hand",
      },
      values: {
        sku,
        location_id: location,
        on_hand: row.onHand,
        reserved: row.reserved,
        reorder_point: row.reorderPoint,
      },
    });
  }
}

import type { Currency } from "../money.js";
import { entityRng } from "../random.js";
import {
  FIRST_NAMES,
  LAST_NAMES,
  PRODUCT_ADJECTIVES,
  PRODUCT_CATEGORIES,
  SITES,
  SUPPLIER_NAMES,
} from "../vocabulary.js";
import { naOwnerCount } from "./customers.js";
import { locationId, ownerId, sku, supplierId } from "./ids.js";
import type { Location, Owner, Product, Supplier } from "./types.js";

/** The product at `index`; prices are log-normal (many cheap parts, a few expensive systems). */
export function productAt(seed: number, index: number, suppliers: number): Product {
  const r = entityRng(seed, "product", index);
  const category = r.pick(PRODUCT_CATEGORIES);
  const price = Math.min(2_000_000, Math.max(500, Math.round(r.logNormal(12_000, 1.1) / 100) * 100));
  return {
    sku: sku(index),
    name: `${r.pick(PRODUCT_ADJECTIVES)} ${category.replace(/s$/, "")} ${String.fromCharCode(65 + (index % 26))}${100 + (index % 900)}`,
    category,
    list_price_minor: price,
    unit_cost_minor: Math.round(price * (0.35 + 0.35 * r.float())),
    supplier_id: supplierId(r.int(0, suppliers - 1)),
  };
}

/** The warehouse location at `index` (sites cycle if there are more locations than sites). */
export function locationAt(index: number): Location {
  const site = SITES[index % SITES.length]!;
  const n = Math.floor(index / SITES.length);
  return {
    id: locationId(index),
    name: `${site.city} DC${n > 0 ? ` ${n + 1}` : ""}`,
    city: site.city,
    country: site.country,
  };
}

/** The supplier at `index`; lead times are skewed (most ship in two weeks, a few take months). */
export function supplierAt(seed: number, index: number): Supplier {
  const r = entityRng(seed, "supplier", index);
  const base = SUPPLIER_NAMES[index % SUPPLIER_NAMES.length]!;
  const round = Math.floor(index / SUPPLIER_NAMES.length);
  const country = r.pick(["US", "DE", "CN", "MX", "PL", "GB", "VN"]);
  const currency: Currency = country === "DE" || country === "PL" ? "EUR" : country === "GB" ? "GBP" : "USD";
  return {
    id: supplierId(index),
    name: round > 0 ? `${base} ${round + 1}` : base,
    country,
    currency,
    lead_time_days: Math.min(120, Math.max(3, Math.round(r.logNormal(14, 0.6)))),
  };
}

/** The salesperson at `index`; the first ~55% sell in North America, the rest in EMEA. */
export function ownerAt(seed: number, index: number, owners: number): Owner {
  const r = entityRng(seed, "owner", index);
  return {
    id: ownerId(index),
    name: `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`,
    team: index < naOwnerCount(owners) ? "NA" : "EMEA",
  };
}

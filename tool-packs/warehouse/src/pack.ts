import { definePack, type PackDefinition, syncStatusTool } from "@toolpacks/pack-kit";
import packageJson from "../package.json" with { type: "json" };
import { shopifySync } from "./connectors/shopify/api/spec.js";
import { shopifyConnector } from "./connectors/shopify/index.js";
import { migrations } from "./migrations.js";
import { seedWarehouse } from "./seed/seed.js";
import { tables } from "./tables.js";
import { readTools, writeTools } from "./tools/index.js";

/** How fresh the warehouse data is: per system last sync, lag and last error; per table as_of. */
const syncStatus = syncStatusTool("warehouse");

/** Options of `createWarehousePack`. */
export interface WarehousePackOptions {
  /** Leave out the write tools (reserve_stock, release_reservation, create_shipment). Default false. */
  readOnly?: boolean;
}

/**
 * Builds the warehouse pack: available to promise per SKU and location, low-stock alerts with
 * suggested quantities, inventory valuation, movement summary and shipment status, plus
 * all-or-nothing reservations, releases and shipments, over `wh_*` tables seeded from the world.
 */
export function createWarehousePack(options: WarehousePackOptions = {}): PackDefinition {
  return definePack({
    name: "warehouse",
    version: packageJson.version,
    title: "Warehouse",
    description:
      "Warehouse answers as compact aggregates: available to promise for a set of SKUs and quantities and " +
      "from which locations (can one location serve the whole order?), low stock and reorder alerts with " +
      "suggested quantities, inventory valuation at standard cost, stock movement summary, shipment status " +
      "and where an order stands (reserved, shipped). Writes: reserve stock for an order (all lines or none), " +
      "release a reservation, ship a reserved order. Quantities are units; values are integer USD cents. " +
      "SKUs, locations, orders and customers share their ids with the ERP, CRM and billing packs. Answers " +
      "are as of the warehouse's date (as_of).",
    tools: options.readOnly ? [...readTools, syncStatus] : [...readTools, syncStatus, ...writeTools],
    migrations,
    dialects: ["sqlite", "postgres"],
    tables,
    seed: seedWarehouse,
    connectors: [shopifyConnector],
    syncSources: [shopifySync],
  });
}

/** The warehouse pack with all its tools. */
export const pack: PackDefinition = createWarehousePack();

import { definePack, type PackDefinition, syncStatusTool } from "@toolpacks/pack-kit";
import packageJson from "../package.json" with { type: "json" };
import { erpnextConnector } from "./connectors/erpnext/index.js";
import { odooSync } from "./connectors/odoo/api/spec.js";
import { odooConnector } from "./connectors/odoo/index.js";
import { erpAfterImport } from "./derived.js";
import { erpAfterIdentity } from "./identity-deals.js";
import { migrations } from "./migrations.js";
import { seedErp } from "./seed/seed.js";
import { tables } from "./tables.js";
import { readTools, writeTools } from "./tools/index.js";

/** How fresh the ERP data is: per system last sync, lag and last error; per table as_of. */
const syncStatus = syncStatusTool("erp");

/** Options of `createErpPack`. */
export interface ErpPackOptions {
  /** Leave out the write tools (create_sales_order, confirm_sales_order, create_purchase_order). Default false. */
  readOnly?: boolean;
}

/**
 * Builds the ERP pack: order status, which deals have orders, open orders, order-to-cash status
 * per customer, purchase orders, supplier lead times and item margins, plus three idempotent
 * writes, over `erp_*` tables seeded from the shared world.
 */
export function createErpPack(options: ErpPackOptions = {}): PackDefinition {
  return definePack({
    name: "erp",
    version: packageJson.version,
    title: "ERP",
    description:
      "Order management answers from the ERP as compact aggregates: sales order status, which CRM deals " +
      "already have a sales order, open orders by status and customer, order-to-cash status per customer " +
      "(draft, confirmed, late, shipped, credit headroom), purchase orders, supplier lead times, item cost and " +
      "margin. Writes: create a sales order from a closed-won deal (never two per deal), confirm it, create a " +
      "purchase order. Money is integer cents with an ISO currency; aggregates are in USD. Ids are shared with " +
      "the CRM (account = customer, deal), warehouse (SKU, location) and billing packs. Answers are as of the " +
      "ERP's date (as_of).",
    tools: options.readOnly ? [...readTools, syncStatus] : [...readTools, syncStatus, ...writeTools],
    migrations,
    dialects: ["sqlite", "postgres"],
    tables,
    seed: seedErp,
    connectors: [odooConnector, erpnextConnector],
    syncSources: [odooSync],
    afterImport: erpAfterImport,
    afterIdentity: erpAfterIdentity,
    identity: [
      { entity: "customer", sql: "SELECT id, name, email AS domain, email, tax_id FROM erp_customers" },
      { entity: "supplier", sql: "SELECT id, name, email AS domain, email, tax_id FROM erp_suppliers" },
    ],
  });
}

/** The ERP pack with all its tools. */
export const pack: PackDefinition = createErpPack();

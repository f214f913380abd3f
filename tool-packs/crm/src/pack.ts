import { definePack, type PackDefinition, syncStatusTool } from "@toolpacks/pack-kit";
import packageJson from "../package.json" with { type: "json" };
import { completeCrmRow } from "./complete-row.js";
import { hubspotSync } from "./connectors/hubspot/api/spec.js";
import { connectors } from "./connectors/index.js";
import { migrations } from "./migrations.js";
import { seedCrm } from "./seed/seed.js";
import { tables } from "./tables.js";
import { readTools, writeTools } from "./tools/index.js";

/** How fresh the CRM data is: per system last sync, lag and last error; per table as_of. */
const syncStatus = syncStatusTool("crm");

/** Options of `createCrmPack`. */
export interface CrmPackOptions {
  /** Leave out the write tools (move_deal_stage, log_activity, create_follow_up_task). Default false. */
  readOnly?: boolean;
}

/**
 * Builds the CRM pack: sales-operations answers (pipeline, closed deals with line items, stale
 * deals, account health, company search, forecast against target, leaderboard, deal details)
 * and three idempotent writes, over `crm_*` tables seeded from the shared world.
 */
export function createCrmPack(options: CrmPackOptions = {}): PackDefinition {
  return definePack({
    name: "crm",
    version: packageJson.version,
    title: "CRM",
    description:
      "Sales operations answers from the CRM as compact aggregates: open pipeline by stage/owner/team/month, " +
      "deals closed in a period with their line items (the start of order-to-cash), stale deals with reasons, " +
      "account health, company search, quarterly forecast against target, owner leaderboard and deal details. " +
      "Writes: move a deal's stage, log an activity, create a follow-up task. Money is integer cents with an " +
      "ISO currency; aggregates are in USD. Every answer is as of the CRM's date (as_of).",
    tools: options.readOnly ? [...readTools, syncStatus] : [...readTools, syncStatus, ...writeTools],
    migrations,
    dialects: ["sqlite", "postgres"],
    tables,
    seed: seedCrm,
    connectors,
    syncSources: [hubspotSync],
    completeRow: completeCrmRow,
    identity: [
      {
        entity: "customer",
        // An account's domain, else its first contact's email (whose domain the map uses).
        sql: "SELECT a.id, a.name, COALESCE(a.domain, (SELECT MIN(c.email) FROM crm_contacts c WHERE c.account_id = a.id)) AS domain FROM crm_accounts a",
      },
    ],
  });
}

/** The CRM pack with all its tools. */
export const pack: PackDefinition = createCrmPack();

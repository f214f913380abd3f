import { SyncError, type SyncSourceSpec } from "@toolpacks/pack-kit";
import { createHubSpot } from "./client.js";
import { HUBSPOT_TOKEN_ENV } from "./errors.js";
import { hubspotSource } from "./source.js";

/**
 * `toolpacks-crm sync hubspot`: the HubSpot CRM API as the CRM pack's system of record. The
 * private app's access token comes only from `HUBSPOT_ACCESS_TOKEN` (never a flag: flags show
 * in the process list).
 */
export const hubspotSync: SyncSourceSpec = {
  system: "hubspot",
  description: `HubSpot CRM API (token in ${HUBSPOT_TOKEN_ENV}): owners, companies, contacts, deals, line items; then changes`,
  env: [HUBSPOT_TOKEN_ENV],
  create({ env, baseUrl }) {
    const accessToken = env[HUBSPOT_TOKEN_ENV];
    if (!accessToken) {
      throw new SyncError(
        "credential_missing",
        `${HUBSPOT_TOKEN_ENV} is not set. Fix: create a private app in HubSpot (Settings > Integrations > Private Apps) with the CRM read scopes (and deals/contacts write for write-back), and export ${HUBSPOT_TOKEN_ENV}=pat-… before running the command.`,
      );
    }
    return hubspotSource(createHubSpot({ accessToken, baseUrl }));
  },
};

/**
 * Stands in for `@hubspot/api-client` in the deployed bundle (see `alias` in wrangler.jsonc): the
 * official client is about 10 MB of generated code, more than the rest of the Worker, and would
 * push the bundle past what a Worker may upload. HubSpot sync and write-back run from Node
 * (`toolpacks-crm sync hubspot`, `toolpacks-crm serve`); here the CRM pack's HubSpot source
 * refuses with this typed error, so a Cron run with `HUBSPOT_ACCESS_TOKEN` set reports it instead
 * of failing obscurely.
 */
import { SyncError } from "@toolpacks/pack-kit";

export class Client {
  constructor() {
    throw new SyncError(
      "source_unavailable",
      "HubSpot sync is not available in this Worker: the official @hubspot/api-client (about 10 MB) is left out of the bundle. Run `toolpacks-crm sync hubspot --db …` from Node (for example on a schedule next to the Worker), and unset HUBSPOT_ACCESS_TOKEN here.",
    );
  }
}

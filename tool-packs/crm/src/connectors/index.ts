import type { Connector } from "@toolpacks/pack-kit";
import { hubspot } from "./hubspot/index.js";
import { pipedrive } from "./pipedrive/index.js";
import { salesforce } from "./salesforce/index.js";

/** The CRM's import formats (`toolpacks-crm import <name> …`), one folder each. */
export const connectors: readonly Connector[] = [hubspot, salesforce, pipedrive];

export { dealStages } from "./shared.js";
export { hubspot, pipedrive, salesforce };

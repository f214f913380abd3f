import type { AnyToolDefinition } from "@toolpacks/pack-kit";
import { createStarterRecord } from "./create_starter_record.js";
import { starterCustomerFacts } from "./starter_customer_facts.js";
import { starterSummary } from "./starter_summary.js";

export { createStarterRecord, starterCustomerFacts, starterSummary };

/** Tools that only read. */
export const readTools: AnyToolDefinition[] = [starterSummary, starterCustomerFacts];
/** Tools that change the store (idempotent through the kit). */
export const writeTools: AnyToolDefinition[] = [createStarterRecord];

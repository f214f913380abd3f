import { definePack, type PackDefinition } from "@toolpacks/pack-kit";
import packageJson from "../package.json" with { type: "json" };
import { migrations } from "./migrations.js";
import { seedStarter } from "./seed.js";
import { tables } from "./tables.js";
import { readTools, writeTools } from "./tools/index.js";

/** Options of `createStarterPack`. */
export interface StarterPackOptions {
  /** Leave out the write tools. Default false. */
  readOnly?: boolean;
}

/**
 * Builds the Starter pack: record counts and amounts by status, customer facts and one
 * idempotent write, over `starter_*` tables seeded for the shared world's customers.
 */
export function createStarterPack(options: StarterPackOptions = {}): PackDefinition {
  return definePack({
    name: "starter",
    version: packageJson.version,
    title: "Starter",
    description:
      "Record answers as compact aggregates: counts and amounts by status with the top customers, one " +
      "customer's facts, and a write that opens a record. Money is integer minor units with an ISO currency; " +
      "every answer is as of the pack's date (as_of).",
    tools: options.readOnly ? readTools : [...readTools, ...writeTools],
    migrations,
    tables,
    seed: seedStarter,
  });
}

/** The Starter pack with all its tools. */
export const pack: PackDefinition = createStarterPack();

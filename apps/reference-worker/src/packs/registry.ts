/**
 * The packs this Worker serves, by name. Each is a `PackDefinition` from its package: the same
 * object the Node CLI serves, so the Worker adds hosting, not behaviour.
 */
import { pack as billing } from "@toolpacks/billing";
import { pack as crm } from "@toolpacks/crm";
import { pack as erp } from "@toolpacks/erp";
import type { PackDefinition } from "@toolpacks/pack-kit";
import { pack as warehouse } from "@toolpacks/warehouse";

/** Packs served at `/mcp/<name>` and composed by the code-mode gateway at `/mcp`. */
export const PACKS: readonly PackDefinition[] = [crm, erp, warehouse, billing];

/** Looks a pack up by its name (`crm`), or undefined. */
export function findPack(name: string): PackDefinition | undefined {
  return PACKS.find((pack) => pack.name === name);
}

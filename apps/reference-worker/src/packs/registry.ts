/**
 * The packs this Worker serves, by name. Each is a `PackDefinition` from its package: the same
 * object the Node CLI serves, so the Worker adds hosting, not behaviour.
 */
import { pack as crm } from "@toolpacks/crm";
import type { PackDefinition } from "@toolpacks/pack-kit";

/** Packs served at `/mcp/<name>` and composed by the code-mode gateway at `/mcp`. */
export const PACKS: readonly PackDefinition[] = [crm];

/** Looks a pack up by its name (`crm`), or undefined. */
export function findPack(name: string): PackDefinition | undefined {
  return PACKS.find((pack) => pack.name === name);
}

import { PackKitError } from "../errors.js";
import type { Store } from "../store/types.js";
import { packNameProblem } from "../tool/naming.js";
import type { AnyToolDefinition } from "../tool/types.js";

/** One schema step of a pack, applied once per store and recorded in `_migrations`. */
export interface Migration {
  /** Unique and ordered within the pack, e.g. `0001_accounts`. */
  id: string;
  /** One SQL statement per entry; all run in one atomic batch with the `_migrations` record. */
  statements: readonly string[];
}

/** How big and which world to generate when a store is empty. */
export interface SeedOptions {
  /** Rough row count of the largest table (10^3 to 10^6). */
  scale: number;
  /** World seed: the same seed and scale give the same ids everywhere. */
  seed: number;
}

/** What `definePack` takes. */
export interface PackSpec {
  /** Lowercase namespace (`crm`); the npm package is `@toolpacks/<name>`. */
  name: string;
  /** Semver of the pack package, reported as the MCP server version. */
  version: string;
  title: string;
  /** What the pack answers; sent to clients as server instructions. */
  description: string;
  tools: readonly AnyToolDefinition[];
  migrations: readonly Migration[];
  /**
   * Fills an empty, migrated store with the pack's slice of the generated world, and records the
   * world's as-of date with `setAsOf`. Called once per store (the kit records it in `_meta`).
   */
  seed?: (store: Store, options: SeedOptions) => Promise<void>;
}

/** A validated pack: what `createPackServer`, `openPacks` and the conformance kit take. */
export interface PackDefinition extends PackSpec {
  /** Looks a tool up by its exact name. */
  tool(name: string): AnyToolDefinition | undefined;
}

/**
 * Defines a pack. Throws `PackKitError` when the pack name is invalid, two tools share a name,
 * or migration ids repeat or are out of order.
 */
export function definePack(spec: PackSpec): PackDefinition {
  const problem = packNameProblem(spec.name);
  if (problem) throw new PackKitError("invalid_pack_name", `Pack name "${spec.name}" ${problem}.`);
  const byName = new Map<string, AnyToolDefinition>();
  for (const tool of spec.tools) {
    if (byName.has(tool.name)) {
      throw new PackKitError(
        "duplicate_tool_name",
        `Pack "${spec.name}" defines tool "${tool.name}" twice; tool names must be unique.`,
      );
    }
    byName.set(tool.name, tool);
  }
  const ids = spec.migrations.map((m) => m.id);
  const sorted = [...ids].sort();
  if (new Set(ids).size !== ids.length || ids.some((id, i) => id !== sorted[i])) {
    throw new PackKitError(
      "invalid_migrations",
      `Pack "${spec.name}" migration ids must be unique and listed in sorted order (got ${ids.join(", ")}).`,
    );
  }
  return { ...spec, tool: (name) => byName.get(name) };
}

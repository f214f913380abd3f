import type { Connector } from "../connect/types.js";
import { PackKitError } from "../errors.js";
import type { TableDeclarations } from "../store/tables.js";
import type { SqlDialect, SqlValue, Statement, Store } from "../store/types.js";
import type { SyncSourceSpec } from "../sync/types.js";
import { packNameProblem } from "../tool/naming.js";
import type { AnyToolDefinition } from "../tool/types.js";

/** One schema step of a pack, applied once per store and recorded in `_migrations`. */
export interface Migration {
  /** Unique and ordered within the pack, e.g. `0001_accounts`. */
  id: string;
  /** One SQL statement per entry; all run in one atomic batch with the `_migrations` record. */
  statements: readonly string[];
  /**
   * The same step for Postgres when its SQL differs (SQLite's 64-bit INTEGER is BIGINT there,
   * triggers are functions). Without it `statements` run on Postgres too. Both lists must build
   * the same tables, columns and keys: `checkMigrationsAgree` (pack-kit/testing) proves it.
   */
  postgres?: readonly string[];
  /**
   * Tables this migration puts under provenance (set by `trackProvenance`): the tables seeds and
   * imports record per source system in `_provenance`.
   */
  tracks?: readonly string[];
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
   * SQL dialects the pack's migrations and tools are written for (default `["sqlite"]`). A store
   * of another dialect is refused at start-up with `PackKitError` `dialect_unsupported`.
   */
  dialects?: readonly SqlDialect[];
  /**
   * Every table the migrations build, its columns declared once (`defineTables`, conventionally
   * in `src/tables.ts`): the queries' row types are derived from it, and the conformance kit
   * fails when it and the migrated store (SQLite, and Postgres when declared) disagree.
   */
  tables?: TableDeclarations;
  /**
   * Fills an empty, migrated store with the pack's slice of the generated world, and records the
   * world's as-of date with `setAsOf`. Called once per store (the kit records it in `_meta`).
   */
  seed?: (store: Store, options: SeedOptions) => Promise<void>;
  /**
   * Sources that fill the pack's tables (`toolpacks-<pack> import <name> …`), one folder each in
   * the pack. Every pack also takes the kit's `csv` and `json` formats with a mapping file.
   */
  connectors?: readonly Connector[];
  /**
   * Systems of record the pack syncs from through their API (`toolpacks-<pack> sync <system>`),
   * and writes back to first when its store is synced from them.
   */
  syncSources?: readonly SyncSourceSpec[];
  /**
   * Fills the columns the pack derives from others on every imported row, whatever the connector
   * (e.g. the CRM's reporting-currency amount from amount and currency), and checks pack rules a
   * column type cannot. Throw `CellError` to reject the row with a reason.
   */
  completeRow?: (table: string, values: Record<string, SqlValue>) => Record<string, SqlValue>;
  /**
   * Where the pack keeps businesses the identity map ties across packs: per entity (`customer`,
   * `supplier`), a query returning `id`, `name` and any of `domain`, `email`, `tax_id`.
   */
  identity?: readonly IdentitySource[];
  /**
   * Statements that refresh what the pack derives from the identity map of `entity` (e.g. the
   * ERP's copy of the CRM's deals, keyed to its own customers), run in the same batch that stores
   * the map. `systems` are the packs the map was built over: refer to another pack's tables only
   * when it is among them. They must give the same result when run again.
   */
  afterIdentity?: (entity: string, systems: readonly string[]) => readonly Statement[];
  /**
   * Statements that recompute what the pack derives from its imported rows (rollups, movements,
   * costs from other tables), run after an import's rows in the same atomic batch, so derived
   * tables always agree with the rows. Not run on a dry run. They must give the same result when
   * run again (recompute, never add): every import runs them.
   */
  afterImport?: () => readonly Statement[];
}

/** A pack's records of one entity, for the cross-system identity map. */
export interface IdentitySource {
  /** What the records are, shared across packs: `customer`, `supplier`. */
  entity: string;
  /** SELECT returning `id`, `name` and any of `domain`, `email`, `tax_id` (NULL when unknown). */
  sql: string;
}

/** A validated pack: what `createPackServer`, `openPacks` and the conformance kit take. */
export interface PackDefinition extends PackSpec {
  /** Looks a tool up by its exact name. */
  tool(name: string): AnyToolDefinition | undefined;
  /** Looks a registered connector up by its exact format name. */
  connector(name: string): Connector | undefined;
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
  const connectors = new Map<string, Connector>();
  for (const connector of spec.connectors ?? []) {
    if (
      !/^[a-z][a-z0-9-]{0,39}$/.test(connector.name) ||
      connector.name === "csv" ||
      connector.name === "json"
    ) {
      throw new PackKitError(
        "invalid_connector_name",
        `Pack "${spec.name}" connector name ${JSON.stringify(connector.name)} must be lowercase letters, digits and "-" (at most 40), and not the kit's own "csv" or "json".`,
      );
    }
    if (connectors.has(connector.name)) {
      throw new PackKitError(
        "duplicate_connector_name",
        `Pack "${spec.name}" defines connector "${connector.name}" twice; connector names must be unique.`,
      );
    }
    connectors.set(connector.name, connector);
  }
  const ids = spec.migrations.map((m) => m.id);
  const sorted = [...ids].sort();
  if (new Set(ids).size !== ids.length || ids.some((id, i) => id !== sorted[i])) {
    throw new PackKitError(
      "invalid_migrations",
      `Pack "${spec.name}" migration ids must be unique and listed in sorted order (got ${ids.join(", ")}).`,
    );
  }
  return { ...spec, tool: (name) => byName.get(name), connector: (name) => connectors.get(name) };
}

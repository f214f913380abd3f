import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { McpServer } from "@modelcontextprotocol/server";
import { PackKitError } from "../errors.js";
import type { PackDefinition } from "../pack/define-pack.js";
import { createPackServer, type PackServerOptions } from "../server/create-pack-server.js";
import { preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { packNameProblem } from "../tool/naming.js";
import { openStore } from "./open-store.js";

/** Options of `openPacks`. */
export interface OpenPacksOptions {
  /**
   * Store shared by the packs (created, migrated and seeded when empty): a SQLite file, or a
   * `postgres://` connection string; default SQLite in memory.
   */
  db?: string;
  scale?: number;
  seed?: number;
  /** Passed to each pack server (budget mode, error hook). */
  server?: Omit<PackServerOptions, "store">;
  /**
   * Loads a module by specifier. Default: `import()` from the kit, then resolution from each of
   * `paths`. Pass `(s) => import(s)` to resolve from the caller's own module instead.
   */
  importer?: (specifier: string) => Promise<unknown>;
  /**
   * Folders to resolve packs from when the kit itself cannot see them (packages are installed
   * next to the app, not next to the kit). Default: the current directory, then the folder of
   * the running script (`process.argv[1]`).
   */
  paths?: readonly string[];
}

/** Packs opened on one store. */
export interface OpenedPacks {
  store: Store;
  packs: PackDefinition[];
  servers: Array<{ name: string; server: McpServer }>;
  /** Closes the servers and the store. */
  close(): Promise<void>;
}

function isMissing(error: unknown, specifier: string): boolean {
  const e = error as { code?: string; message?: string };
  return (
    (e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "MODULE_NOT_FOUND") &&
    typeof e.message === "string" &&
    e.message.includes(specifier)
  );
}

function importerFrom(paths: readonly string[]) {
  return async (specifier: string): Promise<unknown> => {
    try {
      return await import(/* @vite-ignore */ specifier);
    } catch (error) {
      if (!isMissing(error, specifier)) throw error;
      // The kit may sit in another package's node_modules than the packs: look from the app.
      for (const base of paths) {
        let resolved: string;
        try {
          resolved = createRequire(join(base, "noop.js")).resolve(specifier);
        } catch {
          continue;
        }
        return import(pathToFileURL(resolved).href);
      }
      throw error;
    }
  };
}

/**
 * Imports `@toolpacks/<name>` for each name (from the current directory, then the running script's
 * folder) without opening anything. Throws `PackKitError` `pack_not_installed` naming the package.
 */
export async function loadPacks(
  names: readonly string[],
  paths?: readonly string[],
): Promise<PackDefinition[]> {
  const script = process.argv[1];
  const importer = importerFrom(paths ?? [process.cwd(), ...(script ? [dirname(script)] : [])]);
  return Promise.all(names.map((name) => loadPack(name, importer)));
}

async function loadPack(
  name: string,
  importer: (specifier: string) => Promise<unknown>,
): Promise<PackDefinition> {
  const problem = packNameProblem(name);
  if (problem) throw new PackKitError("invalid_pack_name", `Pack name "${name}" ${problem}.`);
  const specifier = `@toolpacks/${name}`;
  let module: { pack?: PackDefinition };
  try {
    module = (await importer(specifier)) as { pack?: PackDefinition };
  } catch (error) {
    if (isMissing(error, specifier)) {
      throw new PackKitError(
        "pack_not_installed",
        `Pack "${name}" is not installed: ${specifier} could not be found. Install it next to your app (npm install ${specifier}) and try again.`,
        { cause: error },
      );
    }
    throw new PackKitError("pack_failed_to_load", `Pack ${specifier} failed to load: ${String(error)}`, {
      cause: error,
    });
  }
  const pack = module.pack;
  if (!pack || typeof pack !== "object" || !Array.isArray(pack.tools) || typeof pack.tool !== "function") {
    throw new PackKitError(
      "not_a_pack",
      `${specifier} does not export \`pack\` (a PackDefinition from definePack); is it a Toolpacks pack?`,
    );
  }
  return pack;
}

/**
 * Imports `@toolpacks/<name>` for each name, opens one shared store (SQLite, or Postgres for a `postgres://` db) (migrations of every
 * pack, then each pack's world slice when empty) and builds an MCP server per pack. The import
 * is dynamic, so a caller (the runtime CLI's `--pack`) depends on no pack. Throws
 * `PackKitError` `pack_not_installed` naming the package to install.
 */
export async function openPacks(
  names: readonly string[],
  options: OpenPacksOptions = {},
): Promise<OpenedPacks> {
  const script = process.argv[1];
  const importer =
    options.importer ?? importerFrom(options.paths ?? [process.cwd(), ...(script ? [dirname(script)] : [])]);
  const packs = await Promise.all(names.map((name) => loadPack(name, importer)));
  const store = await openStore(options.db ?? ":memory:");
  try {
    for (const pack of packs) {
      await preparePackStore(store, pack, { scale: options.scale ?? 10_000, seed: options.seed ?? 1 });
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  const servers = packs.map((pack) => ({
    name: pack.name,
    server: createPackServer(pack, { ...options.server, store }),
  }));
  return {
    store,
    packs,
    servers,
    async close() {
      await Promise.all(servers.map(({ server }) => server.close()));
      await store.close();
    },
  };
}

import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../node/sqlite-store.js";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import type { PackServerOptions } from "../server/create-pack-server.js";
import { preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { connectPackClient, type PackClient } from "./connect.js";

/** A fresh copy of the seeded world with a client connected to the pack over it. */
export interface ConformanceSession {
  store: Store;
  client: PackClient;
  /** The SQLite file (WAL off: its bytes are the whole state). */
  path: string;
}

/** How a session's server treats answers over budget, and which definition it serves. */
export interface SessionOptions {
  /** `"error"` (default) refuses an over-budget answer; `"trim"` cuts it as at run time. */
  budget?: "trim" | "error";
  /** Serve this definition instead (same migrations and seed), e.g. with budgets lifted to measure. */
  pack?: PackDefinition;
}

/** One seeded world that hands out independent copies of itself. */
export interface ConformanceWorld {
  session(options?: SessionOptions): Promise<ConformanceSession>;
  close(): Promise<void>;
}

/**
 * Seeds the pack's world once into a temporary SQLite file and hands out copies of it, so a
 * write in one check cannot break the examples of the next. Servers run in budget `"error"` mode
 * unless a session asks for `"trim"`.
 */
export async function createConformanceWorld(
  pack: PackDefinition,
  world: SeedOptions,
  server: Omit<PackServerOptions, "store"> = {},
): Promise<ConformanceWorld> {
  const dir = mkdtempSync(join(tmpdir(), `toolpacks-${pack.name}-conformance-`));
  const template = join(dir, "template.sqlite");
  const seeded = openSqliteStore(template, { wal: false });
  try {
    await preparePackStore(seeded, pack, world);
  } finally {
    await seeded.close();
  }
  const open: Array<{ store: Store; client: PackClient }> = [];
  return {
    async session(options = {}) {
      const path = join(dir, `copy-${open.length}.sqlite`);
      copyFileSync(template, path);
      const store = openSqliteStore(path, { wal: false });
      const client = await connectPackClient(options.pack ?? pack, {
        onError: () => {},
        ...server,
        budget: options.budget ?? "error",
        store,
      });
      open.push({ store, client });
      return { store, client, path };
    },
    async close() {
      for (const { client, store } of open.splice(0)) {
        await client.close();
        await store.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

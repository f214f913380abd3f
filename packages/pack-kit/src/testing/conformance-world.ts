import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../node/sqlite-store.js";
import type { PackDefinition, SeedOptions } from "../pack/define-pack.js";
import type { PackServerOptions } from "../server/create-pack-server.js";
import { preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { connectPackClient, type PackClient } from "./connect.js";
import {
  dropPostgresTestDatabase,
  openPostgresTestStore,
  type PostgresTestStore,
} from "./postgres-test-store.js";
import { fileDigest, snapshotStore } from "./snapshot.js";
import { testStoreDialect } from "./test-store.js";

/** A fresh copy of the seeded world with a client connected to the pack over it. */
export interface ConformanceSession {
  store: Store;
  client: PackClient;
  /** The SQLite file (WAL off: its bytes are the whole state); empty on Postgres. */
  path: string;
  /**
   * A digest of the whole stored state: on SQLite the file's bytes (byte-for-byte identity), on
   * Postgres every row of every table (`snapshotStore`).
   */
  digest(): Promise<string>;
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
 * Seeds the pack's world once into a temporary SQLite file (on Postgres, when
 * `TOOLPACKS_TEST_STORE=postgres`: a template database) and hands out copies of it, so a write
 * in one check cannot break the examples of the next. Servers run in budget `"error"` mode
 * unless a session asks for `"trim"`.
 */
export async function createConformanceWorld(
  pack: PackDefinition,
  world: SeedOptions,
  server: Omit<PackServerOptions, "store"> = {},
): Promise<ConformanceWorld> {
  if (testStoreDialect() === "postgres") return createPostgresWorld(pack, world, server);
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
      return { store, client, path, digest: async () => fileDigest(path) };
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

// Postgres copies a database with CREATE DATABASE … TEMPLATE, the counterpart of copying the file.
async function createPostgresWorld(
  pack: PackDefinition,
  world: SeedOptions,
  server: Omit<PackServerOptions, "store">,
): Promise<ConformanceWorld> {
  const template = await openPostgresTestStore();
  try {
    await preparePackStore(template, pack, world);
  } catch (error) {
    await template.close();
    throw error;
  }
  // A template must have no open connections while it is copied.
  await template.disconnect();
  const open: Array<{ store: PostgresTestStore; client: PackClient }> = [];
  return {
    async session(options = {}) {
      const store = await openPostgresTestStore({ template: template.database });
      const client = await connectPackClient(options.pack ?? pack, {
        onError: () => {},
        ...server,
        budget: options.budget ?? "error",
        store,
      });
      open.push({ store, client });
      return { store, client, path: "", digest: () => snapshotStore(store) };
    },
    async close() {
      const sessions = open.splice(0);
      for (const { client, store } of sessions) {
        await client.close();
        await store.disconnect();
      }
      await dropPostgresTestDatabase(...sessions.map((s) => s.store.database), template.database);
    },
  };
}

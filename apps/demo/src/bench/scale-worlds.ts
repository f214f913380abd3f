import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openPostgresStore } from "@toolpacks/pack-kit/node";
import { findPostgresBin, type PostgresServer, startPostgresServer } from "@toolpacks/pack-kit/testing";
import { DemoError } from "../packs/errors.js";

/** The stores the scale benchmark builds worlds in. */
export const SCALE_STORES = ["sqlite", "postgres"] as const;
export type ScaleStore = (typeof SCALE_STORES)[number];

/** Where one world of the benchmark lives, and whether it was there before this run. */
export interface WorldPlace {
  /** What `openPackSession` takes as `db` once the world is built: a SQLite path or a postgres:// URL. */
  db: string;
  /** True when a kept, finished world of this size and seed was found (it is reused, not rebuilt). */
  existed: boolean;
  /**
   * Where to build the world when it did not exist. Building goes to a side name and `built`
   * moves it to `db`, so a build cut off half way is never taken for a finished world.
   */
  buildDb: string;
  /** Moves the finished build to `db`; call with no connection open on `buildDb`. */
  built(): Promise<void>;
  /** Removes the world unless worlds are kept. */
  release(): Promise<void>;
}

/** Hands out one store per (store kind, world size). */
export interface WorldPlaces {
  /** Why a store kind cannot be benchmarked here, or undefined when it can. */
  unavailable(store: ScaleStore): string | undefined;
  place(store: ScaleStore, size: number, seed: number): Promise<WorldPlace>;
  close(): Promise<void>;
}

/** Options of `openWorldPlaces`. */
export interface WorldPlacesOptions {
  stores: readonly ScaleStore[];
  /** A Postgres server to build worlds in (a database per size); default a throwaway local one. */
  postgresUrl?: string;
  /**
   * Keep built worlds and reuse them on the next run: SQLite files in this folder, Postgres
   * databases on `postgresUrl` (a throwaway server's are gone with it). Building a 10^7-row world
   * takes minutes; measuring it again after a change to the packs should not.
   */
  keepWorlds?: string;
}

const databaseName = (size: number, seed: number) => `toolpacks_bench_${size}_s${seed}`;

/** Runs one statement outside a transaction (CREATE/DROP DATABASE refuse to run in one). */
async function adminRun(url: string, sql: string): Promise<void> {
  const admin = await openPostgresStore(url, { maxConnections: 1 });
  try {
    await admin.run(sql);
  } finally {
    await admin.close();
  }
}

async function databaseExists(url: string, name: string): Promise<boolean> {
  const admin = await openPostgresStore(url, { maxConnections: 1 });
  try {
    return (await admin.first("SELECT 1 AS found FROM pg_database WHERE datname = ?", [name])) !== undefined;
  } finally {
    await admin.close();
  }
}

/**
 * Opens the places worlds are built in: a folder for SQLite files (temporary unless kept), and a
 * Postgres server (the one given, else a throwaway local server started on a free port, when
 * Debian's postgresql binaries are installed). A store kind that cannot run here is reported by
 * `unavailable` with the reason, and the benchmark goes on without it.
 */
export async function openWorldPlaces(options: WorldPlacesOptions): Promise<WorldPlaces> {
  const keep = options.keepWorlds ? resolve(options.keepWorlds) : undefined;
  if (keep) await mkdir(keep, { recursive: true });
  const folder = keep ?? (await mkdtemp(join(tmpdir(), "toolpacks-scale-")));
  let server: PostgresServer | undefined;
  let postgresUrl = options.postgresUrl;
  let postgresMissing: string | undefined;
  if (options.stores.includes("postgres") && !postgresUrl) {
    if (findPostgresBin()) {
      server = await startPostgresServer();
      postgresUrl = server.url;
    } else {
      postgresMissing =
        "no Postgres server: install Debian's postgresql package or pass --postgres postgres://…";
    }
  }
  const keepPostgres = keep !== undefined && server === undefined;
  return {
    unavailable: (store) => (store === "postgres" ? postgresMissing : undefined),
    async place(store, size, seed) {
      if (store === "sqlite") {
        const db = join(folder, `world-${size}-s${seed}.sqlite`);
        const buildDb = `${db}.building`;
        const existed = keep !== undefined && existsSync(db);
        const remove = async (path: string) => {
          for (const suffix of ["", "-wal", "-shm"]) await rm(path + suffix, { force: true });
        };
        if (!existed) await remove(buildDb);
        return {
          db,
          existed,
          buildDb,
          built: async () => {
            await remove(db);
            // A closed connection checkpoints its WAL; one left behind moves with the file.
            for (const suffix of ["", "-wal", "-shm"]) {
              if (existsSync(buildDb + suffix)) await rename(buildDb + suffix, db + suffix);
            }
          },
          release: async () => {
            if (!keep) await remove(db);
          },
        };
      }
      if (!postgresUrl) throw new DemoError("usage", `Postgres is not available: ${postgresMissing}`);
      const admin = postgresUrl;
      const name = databaseName(size, seed);
      const building = `${name}_building`;
      const existed = keepPostgres && (await databaseExists(admin, name));
      if (!existed) {
        await adminRun(admin, `DROP DATABASE IF EXISTS ${building}`);
        await adminRun(admin, `CREATE DATABASE ${building}`);
      }
      const urlOf = (database: string) => {
        const url = new URL(admin);
        url.pathname = `/${database}`;
        return url.toString();
      };
      return {
        db: urlOf(name),
        existed,
        buildDb: urlOf(building),
        built: async () => {
          await adminRun(admin, `DROP DATABASE IF EXISTS ${name}`);
          await adminRun(admin, `ALTER DATABASE ${building} RENAME TO ${name}`);
        },
        release: async () => {
          if (!keepPostgres) await adminRun(admin, `DROP DATABASE IF EXISTS ${name}`);
        },
      };
    },
    async close() {
      server?.stop();
      if (!keep) await rm(folder, { recursive: true, force: true });
    },
  };
}

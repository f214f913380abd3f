import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { PackKitError } from "../errors.js";
import { openPostgresStore, type PostgresStoreOptions } from "../node/postgres-store.js";
import type { Store } from "../store/types.js";
import type { PostgresTestServerInfo } from "./postgres-global-setup.js";

/**
 * The shared test server as the project's `globalSetup` (`@toolpacks/pack-kit/testing/postgres-setup`)
 * started it: its URL, or why Postgres tests skip. A project without that setup gets a `skipped`
 * reason saying to add it.
 */
export function postgresTestServer(): PostgresTestServerInfo {
  const info = inject("toolpacksPostgres");
  return (
    info ?? {
      skipped:
        "this vitest project has no Postgres globalSetup (add @toolpacks/pack-kit/testing/postgres-setup to test.globalSetup)",
    }
  );
}

/** A store over a database of its own, dropped again by `close`. */
export interface PostgresTestStore extends Store {
  /** Connection string of this store's database. */
  url: string;
  /** The database's name. */
  database: string;
  /** Closes the connections but keeps the database (e.g. to copy it as a template); drop it with `dropPostgresTestDatabase`. */
  disconnect(): Promise<void>;
}

async function admin<R>(
  url: string,
  work: (query: (sql: string) => Promise<unknown>) => Promise<R>,
): Promise<R> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work((sql) => client.query(sql));
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh database on the shared test server (optionally a copy of `template`, Postgres'
 * `CREATE DATABASE … TEMPLATE`, the counterpart of copying a SQLite file) and opens a store on it.
 * Throws `PackKitError` `postgres_unavailable` with the reason when the server is not running.
 */
export async function openPostgresTestStore(
  options: PostgresStoreOptions & { template?: string } = {},
): Promise<PostgresTestStore> {
  const { url, skipped } = postgresTestServer();
  if (!url) throw new PackKitError("postgres_unavailable", `No test Postgres server: ${skipped}`);
  const database = `tp_${randomBytes(6).toString("hex")}`;
  await admin(url, (query) =>
    query(`CREATE DATABASE ${database}${options.template ? ` TEMPLATE ${options.template}` : ""}`),
  );
  const own = new URL(url);
  own.pathname = `/${database}`;
  const store = await openPostgresStore(own.toString(), options);
  return {
    ...store,
    dialect: store.dialect,
    url: own.toString(),
    database,
    disconnect: () => store.close(),
    async close() {
      await store.close();
      await dropPostgresTestDatabase(database);
    },
  };
}

/** Drops databases `openPostgresTestStore` created (those gone already are skipped), over one connection. */
export async function dropPostgresTestDatabase(...databases: string[]): Promise<void> {
  const { url } = postgresTestServer();
  const names = databases.filter((d) => /^tp_[0-9a-f]+$/.test(d));
  if (!url || names.length === 0) return;
  await admin(url, async (query) => {
    for (const name of names) await query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

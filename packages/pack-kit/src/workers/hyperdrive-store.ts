import type { ClientConfig } from "pg";
import { PackKitError } from "../errors.js";
import { type PgQueryable, postgresTypeParsers, redactConnectionString } from "../store/postgres-dialect.js";
import { postgresSessionStore } from "../store/postgres-session-store.js";
import type { Store } from "../store/types.js";

/** The part of a Hyperdrive binding the store uses (structural: no Workers types needed). */
export interface HyperdriveLike {
  connectionString: string;
}

/** Options of `hyperdriveStore`. */
export interface HyperdriveStoreOptions {
  /** A statement running longer is cancelled by the server (default 30,000 ms; 0 = no limit). */
  statementTimeoutMs?: number;
  /** Giving up on reaching Hyperdrive (or the local Postgres under `wrangler dev`) after this long (default 10,000 ms). */
  connectTimeoutMs?: number;
  /**
   * Where each connection's close goes, so an answer never waits for it: pass the request's
   * `ctx.waitUntil`. Without it the close is awaited before the call returns.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

type Pg = typeof import("pg");
let driver: Promise<Pg> | undefined;

function loadDriver(): Promise<Pg> {
  driver ??= import("pg").then(
    (m) => ((m as unknown as { default?: Pg }).default ?? m) as Pg,
    (error: unknown) => {
      driver = undefined;
      throw new PackKitError(
        "postgres_driver_missing",
        `The Hyperdrive store needs the "pg" package (8.11 or later, which reaches Postgres through cloudflare:sockets), and it could not be loaded (${String(error)}). Install it next to your Worker and set the nodejs_compat compatibility flag.`,
        { cause: error },
      );
    },
  );
  return driver;
}

/**
 * A `Store` over Postgres through a Cloudflare Hyperdrive binding (`env.HYPERDRIVE`), with the
 * same semantics as the Node store (`openPostgresStore`): `?` placeholders, READ ONLY read
 * transactions, an atomic `batch`, the same result types and error codes (`store_unreachable`,
 * `store_timeout`, …). Hyperdrive keeps the pool of connections to the database itself, so this
 * store keeps none: every call (a read, a statement, a batch) opens a `pg.Client` to Hyperdrive,
 * runs in one transaction that sets its own `statement_timeout` (Hyperdrive pools in transaction
 * mode, so session settings would not hold), and ends the client right after, in `waitUntil`
 * when given. No socket outlives the call, so the store may be kept per isolate and used from
 * any request: Workers forbid one request using another's sockets, and none is shared. `close`
 * only refuses later calls (`store_closed`). Needs `pg` and the `nodejs_compat` flag. Under
 * `wrangler dev` the binding points at a local Postgres (`localConnectionString`, or
 * `CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_<BINDING>`), which this store uses the same way.
 */
export function hyperdriveStore(hyperdrive: HyperdriveLike, options: HyperdriveStoreOptions = {}): Store {
  const { connectionString } = hyperdrive;
  const statementTimeout = options.statementTimeoutMs ?? 30_000;
  if (!Number.isInteger(statementTimeout) || statementTimeout < 0) {
    throw new RangeError(
      `statementTimeoutMs must be a whole number of milliseconds >= 0, not ${statementTimeout}.`,
    );
  }
  const timeout = statementTimeout > 0 ? `; SET LOCAL statement_timeout = ${statementTimeout}` : "";
  const end = (client: { end(): Promise<void> }): Promise<void> => {
    const ended = client.end().catch(() => {});
    options.waitUntil?.(ended);
    return ended;
  };
  return postgresSessionStore({
    where: redactConnectionString(connectionString),
    async acquire() {
      const pg = await loadDriver();
      const config: ClientConfig = {
        connectionString,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
        application_name: "toolpacks",
        types: postgresTypeParsers((oid) => pg.types.getTypeParser(oid)) as ClientConfig["types"],
      };
      const client = new pg.Client(config);
      // A socket error after the call ended must not surface as an unhandled error event.
      client.on("error", () => {});
      // A failed connect has already destroyed its socket (and end() could wait on one that
      // never opened), so only a connected client is ended.
      await client.connect();
      return {
        client: client as unknown as PgQueryable,
        // Without waitUntil the close is part of the call; with it the answer goes first.
        release: () => (options.waitUntil ? void end(client) : end(client)),
      };
    },
    begin: (readOnly) => `${readOnly ? "BEGIN READ ONLY" : "BEGIN"}${timeout}`,
    runInTransaction: true,
    end: async () => {},
  });
}

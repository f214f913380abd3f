/**
 * The `Store` every Postgres connection source shares: READ ONLY read transactions, an atomic
 * `batch`, clear errors, `store_closed` after `close`. Where connections come from (a Node pool,
 * a `pg.Client` per call on Workers) is the caller's `acquire`.
 */
import { PackKitError } from "../errors.js";
import { type PgQueryable, postgresError, statementSender } from "./postgres-dialect.js";
import type { RunResult, SqlValue, Statement, Store } from "./types.js";

/** One connection lent to one store call. */
export interface PostgresLease {
  client: PgQueryable;
  /** Gives the connection back (awaited when it returns a promise); `broken` when it must not serve another call. */
  release(broken?: Error): void | Promise<void>;
}

/** How `postgresSessionStore` gets and ends connections. */
export interface PostgresConnections {
  /** The redacted connection string, for messages. */
  where: string;
  /** A connection for one call; may throw the driver's error (mapped by the store). */
  acquire(): Promise<PostgresLease>;
  /** The statement(s) opening a transaction, sent with the simple protocol. */
  begin(readOnly: boolean): string;
  /** `run` inside BEGIN … COMMIT too (when `begin` sets per-transaction state such as a timeout). */
  runInTransaction?: boolean;
  /** Ends every connection; called once by `close`. */
  end(): Promise<void>;
}

/**
 * A `Store` over Postgres connections: `all` and `first` each run in their own read-only
 * transaction (the server refuses a write, whatever the text: `store_read_only`); `run` is one
 * statement, all or nothing; `batch` runs on one connection inside BEGIN … COMMIT and rolls back
 * on any failure. Errors are mapped by `postgresError`. After `close`, calls reject `store_closed`.
 */
export function postgresSessionStore(connections: PostgresConnections): Store {
  const { where } = connections;
  const query = statementSender();
  let closed = false;
  const ensureOpen = () => {
    if (closed) {
      throw new PackKitError(
        "store_closed",
        `The Postgres store ${where} is closed: close() was called before this query. Open it again, or close it only after the last call.`,
      );
    }
  };
  const acquire = async (): Promise<PostgresLease> => {
    ensureOpen();
    try {
      return await connections.acquire();
    } catch (error) {
      throw postgresError(error, where);
    }
  };
  const inTransaction = async <R>(
    readOnly: boolean,
    work: (client: PgQueryable) => Promise<R>,
  ): Promise<R> => {
    const lease = await acquire();
    let broken: Error | undefined;
    try {
      await lease.client.query(connections.begin(readOnly));
      const result = await work(lease.client);
      await lease.client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await lease.client.query("ROLLBACK");
      } catch (rollbackError) {
        // The connection is gone: it must not be handed out again.
        broken = rollbackError as Error;
      }
      throw postgresError(error, where);
    } finally {
      await lease.release(broken);
    }
  };
  const read = <R>(sql: string, params: readonly SqlValue[] | undefined, pick: (rows: object[]) => R) =>
    inTransaction(true, async (client) => pick((await query(client, sql, params)).rows));

  return {
    dialect: "postgres",
    async all<T extends object>(sql: string, params?: readonly SqlValue[]) {
      return read(sql, params, (rows) => rows as T[]);
    },
    async first<T extends object>(sql: string, params?: readonly SqlValue[]) {
      return read(sql, params, (rows) => rows[0] as T | undefined);
    },
    async run(sql, params): Promise<RunResult> {
      if (connections.runInTransaction) {
        return inTransaction(false, async (client) => ({
          changes: (await query(client, sql, params)).rowCount ?? 0,
        }));
      }
      // One statement autocommits on its own: all of it or nothing.
      const lease = await acquire();
      try {
        return { changes: (await query(lease.client, sql, params)).rowCount ?? 0 };
      } catch (error) {
        throw postgresError(error, where);
      } finally {
        await lease.release();
      }
    },
    async batch(statements: readonly Statement[]) {
      if (statements.length === 0) return [];
      return inTransaction(false, async (client) => {
        const results: RunResult[] = [];
        for (const s of statements)
          results.push({ changes: (await query(client, s.sql, s.params)).rowCount ?? 0 });
        return results;
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await connections.end();
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackKitError } from "../errors.js";
import { migratePack } from "../store/migrate.js";
import {
  openPostgresTestStore,
  type PostgresTestStore,
  postgresTestServer,
} from "../testing/postgres-test-store.js";
import { hyperdriveStore } from "./hyperdrive-store.js";

// The Workers store's logic runs the same in Node (pg.Client over net instead of
// cloudflare:sockets); the Worker itself on Hyperdrive is tested in apps/reference-worker.
const server = postgresTestServer();

const pack = {
  name: "h",
  dialects: ["sqlite", "postgres"] as const,
  migrations: [{ id: "0001", statements: ["CREATE TABLE h (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"] }],
};

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof PackKitError ? error.code : `not a PackKitError: ${String(error)}`;
  }
  return "resolved";
}

describe.skipIf(!server.url)(`hyperdriveStore on a real server ${server.skipped ?? ""}`, () => {
  let owner: PostgresTestStore;
  beforeAll(async () => {
    owner = await openPostgresTestStore();
  });
  afterAll(async () => {
    await owner?.close();
  });
  const connections = async () =>
    (
      await owner.first<{ n: number }>(
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = ? AND application_name = 'toolpacks' AND pid <> pg_backend_pid()",
        [owner.database],
      )
    )?.n;

  it("migrates, writes and reads like the Node store, and leaves no connection open after each call", async () => {
    const closes: Promise<unknown>[] = [];
    const store = hyperdriveStore({ connectionString: owner.url }, { waitUntil: (p) => closes.push(p) });
    expect(store.dialect).toBe("postgres");
    await migratePack(store, pack);
    expect(await store.batch([{ sql: "INSERT INTO h (id, v) VALUES (?, ?)", params: [1, "a"] }])).toEqual([
      { changes: 1 },
    ]);
    expect(await store.first("SELECT id, v FROM h WHERE v = ?", ["a"])).toEqual({ id: 1, v: "a" });
    // One close per call, handed to waitUntil; once they settle, only the owner's pool remains.
    expect(closes.length).toBeGreaterThanOrEqual(4);
    await Promise.all(closes);
    expect(await connections()).toBe(0);
  });

  it("refuses a write in a read (READ ONLY transaction) and rolls a failing batch back whole", async () => {
    const store = hyperdriveStore({ connectionString: owner.url });
    expect(await codeOf(store.all("INSERT INTO h (id, v) VALUES (2, 'b') RETURNING id"))).toBe(
      "store_read_only",
    );
    const failing = store.batch([
      { sql: "INSERT INTO h (id, v) VALUES (?, ?)", params: [3, "c"] },
      { sql: "INSERT INTO h (id, v) VALUES (?, ?)", params: [1, "duplicate"] },
    ]);
    expect(await codeOf(failing)).toBe("store_query_failed");
    expect(await store.all("SELECT id FROM h ORDER BY id")).toEqual([{ id: 1 }]);
  });

  it("cancels a statement past statementTimeoutMs, set per transaction (Hyperdrive pools per transaction)", async () => {
    const store = hyperdriveStore({ connectionString: owner.url }, { statementTimeoutMs: 200 });
    expect(await codeOf(store.first("SELECT pg_sleep(5)"))).toBe("store_timeout");
    expect(await codeOf(store.run("UPDATE h SET v = v WHERE pg_sleep(5) IS NOT NULL"))).toBe("store_timeout");
  });

  it("answers store_unreachable soon when nothing listens, and store_closed after close", async () => {
    const closed = new URL(owner.url);
    closed.port = "1";
    const started = Date.now();
    const unreachable = hyperdriveStore({ connectionString: closed.toString() }, { connectTimeoutMs: 2_000 });
    expect(await codeOf(unreachable.all("SELECT 1 AS one"))).toBe("store_unreachable");
    expect(Date.now() - started).toBeLessThan(10_000);
    const store = hyperdriveStore({ connectionString: owner.url });
    await store.close();
    expect(await codeOf(store.first("SELECT 1 AS one"))).toBe("store_closed");
  });
});

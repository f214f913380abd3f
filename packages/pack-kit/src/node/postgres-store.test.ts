import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackKitError, ToolError } from "../errors.js";
import { isConstraintViolation } from "../server/constraint-violation.js";
import { migratePack } from "../store/migrate.js";
import { listTables } from "../store/table-shape.js";
import {
  openPostgresTestStore,
  type PostgresTestStore,
  postgresTestServer,
} from "../testing/postgres-test-store.js";
import { openPostgresStore, withPostgresTransaction } from "./postgres-store.js";

const server = postgresTestServer();

const pack = {
  name: "t",
  dialects: ["sqlite", "postgres"] as const,
  migrations: [
    { id: "0001", statements: ["CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL, n BIGINT)"] },
    { id: "0002", statements: ["ALTER TABLE t ADD COLUMN w INTEGER"] },
  ],
};

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof PackKitError ? error.code : `not a PackKitError: ${String(error)}`;
  }
  return "resolved";
}

describe.skipIf(!server.url)(`openPostgresStore on a real server ${server.skipped ?? ""}`, () => {
  let store: PostgresTestStore;
  beforeAll(async () => {
    store = await openPostgresTestStore();
    await migratePack(store, pack);
  });
  afterAll(async () => {
    await store?.close();
  });

  it("migrates once, binds ? parameters and reports changes", async () => {
    expect(store.dialect).toBe("postgres");
    expect(await migratePack(store, pack)).toEqual([]);
    expect(await store.run("INSERT INTO t (id, v) VALUES (?, ?)", [1, "a"])).toEqual({ changes: 1 });
    expect(await store.first("SELECT id, v, w FROM t WHERE v = ?", ["a"])).toEqual({
      id: 1,
      v: "a",
      w: null,
    });
    expect(await store.run("DELETE FROM t WHERE id = ?", [1])).toEqual({ changes: 1 });
  });

  it("refuses a pack written for SQLite only with dialect_unsupported, and runs a migration's postgres statements", async () => {
    const sqliteOnly = {
      name: "lite",
      migrations: [{ id: "0001", statements: ["CREATE TABLE lite (x INTEGER)"] }],
    };
    await expect(migratePack(store, sqliteOnly)).rejects.toMatchObject({
      code: "dialect_unsupported",
      message: expect.stringMatching(/written for sqlite, not postgres/),
    });
    const both = {
      name: "both",
      dialects: ["sqlite", "postgres"] as const,
      migrations: [
        {
          id: "0001",
          statements: ["CREATE TABLE both_t (x INTEGER)"],
          postgres: ["CREATE TABLE both_t (x BIGINT)"],
        },
      ],
    };
    expect(await migratePack(store, both)).toEqual(["0001"]);
    expect(
      await store.first("SELECT data_type FROM information_schema.columns WHERE table_name = 'both_t'"),
    ).toEqual({ data_type: "bigint" });
  });

  it("maps counts and sums to numbers, integers past 2^53 to bigint, booleans to 1/0", async () => {
    const big = 2n ** 60n + 7n;
    await store.batch([
      { sql: "INSERT INTO t (id, v, n) VALUES (?, ?, ?)", params: [10, "x", big] },
      { sql: "INSERT INTO t (id, v, n) VALUES (?, ?, ?)", params: [11, "y", 5] },
    ]);
    const row = await store.first<Record<string, unknown>>(
      "SELECT COUNT(*) AS c, SUM(id) AS s, SUM(n) AS big, MAX(n) AS maxn, AVG(id) AS mean, 1 < 2 AS yes FROM t WHERE id >= 10",
    );
    expect(row).toEqual({ c: 2, s: 21, big: big + 5n, maxn: big, mean: 10.5, yes: 1 });
    await store.run("DELETE FROM t WHERE id >= 10");
  });

  it("runs a batch atomically: one failing statement rolls back the others", async () => {
    await expect(
      store.batch([
        { sql: "INSERT INTO t (id, v) VALUES (20, 'a')" },
        { sql: "INSERT INTO _meta (key, value) VALUES ('k', 'v')" },
        { sql: "INSERT INTO t (id, v) VALUES (21, NULL)" },
      ]),
    ).rejects.toSatisfy((e) => isConstraintViolation(e));
    expect(await store.all("SELECT id FROM t WHERE id IN (20, 21)")).toEqual([]);
    expect(await store.all("SELECT key FROM _meta WHERE key = 'k'")).toEqual([]);
  });

  it("refuses writes through the read methods by a READ ONLY transaction, whatever the text", async () => {
    for (const sql of [
      "INSERT INTO t (id, v) VALUES (30, 'w') RETURNING id",
      "WITH d AS (DELETE FROM t RETURNING id) SELECT * FROM d",
      "SELECT 1 AS x; INSERT INTO t (id, v) VALUES (31, 'w')",
      "CREATE TABLE sneaky (x INTEGER)",
    ]) {
      const code = await codeOf(store.all(sql));
      expect(["store_read_only", "store_query_failed"], sql).toContain(code);
    }
    expect(await codeOf(store.first("INSERT INTO t (id, v) VALUES (32, 'w') RETURNING id"))).toBe(
      "store_read_only",
    );
    // A read cannot switch later reads to read-write either: each read begins READ ONLY itself.
    await store.first("SELECT set_config('default_transaction_read_only', 'off', false) AS s");
    expect(await codeOf(store.all("INSERT INTO t (id, v) VALUES (33, 'w') RETURNING id"))).toBe(
      "store_read_only",
    );
    expect(await store.all("SELECT id FROM t WHERE id >= 30")).toEqual([]);
    expect(await codeOf(store.all("SELECT * FROM sneaky"))).toBe("store_query_failed");
  });

  it("refuses a text parameter holding U+0000 with the tool error unsupported_text, writing nothing", async () => {
    const write = store.batch([
      { sql: "INSERT INTO t (id, v) VALUES (50, 'ok')" },
      { sql: "INSERT INTO t (id, v) VALUES (?, ?)", params: [51, "a\u0000b"] },
    ]);
    await expect(write).rejects.toBeInstanceOf(ToolError);
    await expect(write).rejects.toMatchObject({ code: "unsupported_text" });
    await expect(store.all("SELECT id FROM t WHERE v = ?", ["\u0000"])).rejects.toMatchObject({
      code: "unsupported_text",
    });
    expect(await store.all("SELECT id FROM t WHERE id >= 50")).toEqual([]);
  });

  it("cancels a statement past the statement timeout with store_timeout", async () => {
    const slow = await openPostgresStore(store.url, { statementTimeoutMs: 100 });
    try {
      expect(await codeOf(slow.first("SELECT pg_sleep(5) AS s"))).toBe("store_timeout");
      expect(await slow.first("SELECT 1 AS one")).toEqual({ one: 1 });
    } finally {
      await slow.close();
    }
  });

  it("runs a migration past the statement timeout (a fill over a grown table), and the timeout still holds after it", async () => {
    const slow = await openPostgresStore(store.url, { statementTimeoutMs: 100 });
    try {
      const long = {
        name: "long",
        dialects: ["postgres" as const],
        migrations: [{ id: "0001", statements: ["SELECT pg_sleep(0.4)"] }],
      };
      expect(await migratePack(slow, long)).toEqual(["0001"]);
      expect(await codeOf(slow.first("SELECT pg_sleep(5) AS s"))).toBe("store_timeout");
      expect(await codeOf(slow.run("SELECT pg_sleep(5)"))).toBe("store_timeout");
    } finally {
      await slow.close();
    }
  });

  it("lets several processes migrate one empty database at once: each migration applies once, none fails", async () => {
    // Two Worker isolates (or two CLIs) starting on a new database. Each round starts from an
    // empty database, so the kit tables are created concurrently too.
    const racing = {
      name: "race",
      dialects: ["postgres" as const],
      migrations: ["0001", "0002", "0003"].map((id) => ({
        id,
        statements: [`CREATE TABLE race_${id} (x INTEGER)`, "SELECT pg_sleep(0.05)"],
      })),
    };
    for (let round = 0; round < 3; round++) {
      const fresh = await openPostgresTestStore();
      const peers = await Promise.all([0, 1, 2].map(() => openPostgresStore(fresh.url)));
      try {
        const applied = await Promise.all(peers.map((peer) => migratePack(peer, racing)));
        expect(applied.flat().sort()).toEqual(["0001", "0002", "0003"]);
        expect(await fresh.all("SELECT id FROM _migrations WHERE pack = 'race' ORDER BY id")).toEqual([
          { id: "0001" },
          { id: "0002" },
          { id: "0003" },
        ]);
      } finally {
        await Promise.all(peers.map((peer) => peer.close()));
        await fresh.close();
      }
    }
  });

  it("still fails a migration that fails for its own reason while others migrate", async () => {
    const broken = {
      name: "broken",
      dialects: ["postgres" as const],
      migrations: [{ id: "0001", statements: ["CREATE TABLE broken_t (x NOT_A_TYPE)"] }],
    };
    await expect(migratePack(store, broken)).rejects.toThrow();
    expect(await store.first("SELECT id FROM _migrations WHERE pack = 'broken'")).toBeUndefined();
  });

  it("says store_permission_denied when the role lacks rights", async () => {
    const role = `r_${store.database}`;
    await store.run(`CREATE ROLE ${role} LOGIN PASSWORD 'pw-for-test'`);
    const url = new URL(store.url);
    url.username = role;
    url.password = "pw-for-test";
    const limited = await openPostgresStore(url.toString());
    try {
      const read = limited.all("SELECT * FROM t");
      await expect(read).rejects.toThrow(/lacks a right/);
      expect(await codeOf(read)).toBe("store_permission_denied");
      expect(await codeOf(limited.run("INSERT INTO t (id, v) VALUES (40, 'x')"))).toBe(
        "store_permission_denied",
      );
    } finally {
      await limited.close();
      await store.run(`DROP ROLE ${role}`);
    }
  });

  it("fails to open with store_auth_failed, store_database_missing or store_unreachable, naming no password", async () => {
    const wrong = new URL(store.url);
    wrong.password = "not-the-password";
    const auth = openPostgresStore(wrong.toString());
    await expect(auth).rejects.toThrow(/refused the login/);
    await expect(auth).rejects.not.toThrow(/not-the-password/);
    expect(await codeOf(auth)).toBe("store_auth_failed");
    const missing = new URL(store.url);
    missing.pathname = "/no_such_database";
    expect(await codeOf(openPostgresStore(missing.toString()))).toBe("store_database_missing");
    const closedPort = new URL(store.url);
    closedPort.port = "1";
    const unreachable = openPostgresStore(closedPort.toString(), { connectTimeoutMs: 2_000 });
    await expect(unreachable).rejects.toThrow(/Cannot reach the Postgres server/);
    expect(await codeOf(unreachable)).toBe("store_unreachable");
  });

  it("rejects every call after close with store_closed", async () => {
    const other = await openPostgresStore(store.url);
    await other.close();
    await other.close();
    expect(await codeOf(other.all("SELECT 1"))).toBe("store_closed");
    expect(await codeOf(other.batch([{ sql: "SELECT 1" }]))).toBe("store_closed");
  });
});

describe.skipIf(!server.url)(`withPostgresTransaction on a real server ${server.skipped ?? ""}`, () => {
  let store: PostgresTestStore;
  beforeAll(async () => {
    store = await openPostgresTestStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  it("commits migrations and rows together when the work resolves; a failing call undoes only itself", async () => {
    const got = await withPostgresTransaction(store.url, async (tx) => {
      await migratePack(tx, pack);
      await tx.run("INSERT INTO t (id, v) VALUES (1, 'a')");
      expect(
        await codeOf(tx.batch([{ sql: "INSERT INTO t (id, v) VALUES (2, 'b')" }, { sql: "SELECT nope" }])),
      ).toBe("store_query_failed");
      // The transaction goes on after the failed batch, which left nothing.
      return tx.all("SELECT id FROM t ORDER BY id");
    });
    expect(got).toEqual([{ id: 1 }]);
    expect(await store.all("SELECT id, v FROM t ORDER BY id")).toEqual([{ id: 1, v: "a" }]);
  });

  it("rolls back everything, tables included, when the work throws, and rethrows its error", async () => {
    const other = {
      ...pack,
      name: "u",
      migrations: [{ id: "0001", statements: ["CREATE TABLE u (id INTEGER PRIMARY KEY)"] }],
    };
    const failure = new Error("import failed");
    await expect(
      withPostgresTransaction(store.url, async (tx) => {
        await migratePack(tx, other);
        await tx.run("INSERT INTO u (id) VALUES (1)");
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await store.first("SELECT to_regclass('u') AS u")).toEqual({ u: null });
    expect(await store.all("SELECT id FROM _migrations WHERE pack = 'u'")).toEqual([]);
    // A database the work met empty is empty again: not even the kit's tables stay.
    const fresh = await openPostgresTestStore();
    try {
      await expect(
        withPostgresTransaction(fresh.url, async (tx) => {
          await migratePack(tx, other);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await listTables(fresh)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

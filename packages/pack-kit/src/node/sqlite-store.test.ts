import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getAsOf, getMeta, setAsOf } from "../store/meta.js";
import { migratePack } from "../store/migrate.js";
import { openSqliteStore } from "./sqlite-store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pack = {
  name: "t",
  migrations: [
    { id: "0001", statements: ["CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"] },
    { id: "0002", statements: ["ALTER TABLE t ADD COLUMN w INTEGER"] },
  ],
};

describe("openSqliteStore", () => {
  it("runs a batch atomically: one failing statement rolls back the others", async () => {
    const store = openSqliteStore();
    await migratePack(store, pack);
    await expect(
      store.batch([
        { sql: "INSERT INTO t (id, v) VALUES (1, 'a')" },
        { sql: "INSERT INTO t (id, v) VALUES (2, NULL)" },
      ]),
    ).rejects.toThrow(/NOT NULL/);
    expect(await store.all("SELECT * FROM t")).toEqual([]);
    expect(await store.batch([{ sql: "INSERT INTO t (id, v) VALUES (?, ?)", params: [1, "a"] }])).toEqual([
      { changes: 1 },
    ]);
    await store.close();
  });

  it("refuses writes through the read methods, even UPDATE ... RETURNING", async () => {
    const store = openSqliteStore();
    await migratePack(store, pack);
    await store.run("INSERT INTO t (id, v) VALUES (1, 'a')");
    await expect(store.all("UPDATE t SET v = 'b' RETURNING id")).rejects.toThrow(/not authorized/);
    await expect(store.first("DELETE FROM t RETURNING id")).rejects.toThrow(/not authorized/);
    await expect(store.all("DROP TABLE t")).rejects.toThrow(/not authorized/);
    expect(await store.all("SELECT v FROM t")).toEqual([{ v: "a" }]);
    expect(await store.all("PRAGMA table_info(t)")).toHaveLength(3);
    await expect(store.all("PRAGMA foreign_keys = OFF")).rejects.toThrow(/not authorized/);
    expect(await store.run("UPDATE t SET v = 'c'")).toEqual({ changes: 1 });
    await store.close();
  });

  it("applies each migration once and records it", async () => {
    const store = openSqliteStore();
    expect(await migratePack(store, pack)).toEqual(["0001", "0002"]);
    expect(await migratePack(store, pack)).toEqual([]);
    expect(await store.all("SELECT pack, id FROM _migrations ORDER BY id")).toEqual([
      { pack: "t", id: "0001" },
      { pack: "t", id: "0002" },
    ]);
    await store.close();
  });

  it("leaves no trace of a failing migration", async () => {
    const store = openSqliteStore();
    const broken = { name: "b", migrations: [{ id: "0001", statements: ["CREATE TABLE b (x)", "NOT SQL"] }] };
    await expect(migratePack(store, broken)).rejects.toThrow();
    expect(await store.first("SELECT name FROM sqlite_master WHERE name = 'b'")).toBeUndefined();
    expect(await store.all("SELECT * FROM _migrations")).toEqual([]);
    await store.close();
  });

  it("creates a file store with its folders and keeps data across opens", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pack-kit-sqlite-"));
    dirs.push(dir);
    const path = join(dir, "a", "b", "db.sqlite");
    const store = openSqliteStore(path);
    await setAsOf(store, "2025-06-30");
    await store.close();
    const again = openSqliteStore(path, { readOnly: true });
    expect(await getAsOf(again)).toBe("2025-06-30");
    expect(await getMeta(again, "missing")).toBeUndefined();
    await again.close();
  });

  it("closes after reads and writes, twice without error, then refuses further calls", async () => {
    const store = openSqliteStore();
    await migratePack(store, pack);
    await store.run("INSERT INTO t (id, v) VALUES (1, 'a')");
    expect(await store.all("SELECT v FROM t")).toEqual([{ v: "a" }]);
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.close()).resolves.toBeUndefined();
    for (const call of [
      () => store.all("SELECT v FROM t"),
      () => store.first("SELECT v FROM t"),
      () => store.run("UPDATE t SET v = 'b'"),
      () => store.batch([{ sql: "UPDATE t SET v = 'b'" }]),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: "store_closed",
        message: expect.stringMatching(/closed/),
      });
    }
  });

  it("closes a file store so another connection can take it over", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pack-kit-sqlite-"));
    dirs.push(dir);
    const path = join(dir, "db.sqlite");
    const store = openSqliteStore(path);
    await migratePack(store, pack);
    await store.run("INSERT INTO t (id, v) VALUES (1, 'a')");
    await store.close();
    const again = openSqliteStore(path);
    expect(await again.run("UPDATE t SET v = 'b'")).toEqual({ changes: 1 });
    await again.close();
  });

  it("refuses an as-of date that is not YYYY-MM-DD", async () => {
    const store = openSqliteStore();
    await expect(setAsOf(store, "30/06/2025")).rejects.toThrow(/YYYY-MM-DD/);
    await store.close();
  });
});

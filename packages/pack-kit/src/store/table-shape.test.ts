import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.js";
import { openPostgresTestStore, postgresTestServer } from "../testing/postgres-test-store.js";
import { migratePack } from "./migrate.js";
import { listTables, readTableShape } from "./table-shape.js";
import type { Store } from "./types.js";

// One schema, written once for both dialects: a composite key, a composite foreign key whose
// columns are declared in another order than the parent's key, a default, a nullable column,
// a foreign key to an implicit primary key, and a table without a primary key.
const pack = {
  name: "shapes",
  dialects: ["sqlite", "postgres"] as const,
  migrations: [
    {
      id: "0001",
      statements: [
        "CREATE TABLE sh_regions (country TEXT NOT NULL, code TEXT NOT NULL, name TEXT, PRIMARY KEY (country, code))",
        "CREATE TABLE sh_owners (id TEXT PRIMARY KEY, name TEXT NOT NULL)",
        `CREATE TABLE sh_sites (
          id TEXT PRIMARY KEY, owner_id TEXT REFERENCES sh_owners (id),
          region_code TEXT NOT NULL, region_country TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open',
          FOREIGN KEY (region_country, region_code) REFERENCES sh_regions (country, code))`,
        "CREATE TABLE sh_notes (site_id TEXT NOT NULL REFERENCES sh_sites (id), body TEXT)",
      ],
    },
  ],
};

const stores: Array<[string, () => Promise<Store>]> = [
  ["sqlite", async () => openSqliteStore()],
  ...(postgresTestServer().url
    ? [["postgres", () => openPostgresTestStore()] as [string, () => Promise<Store>]]
    : []),
];

describe.each(stores)("readTableShape on %s", (_dialect, open) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
    await migratePack(store, pack);
  });
  afterAll(async () => {
    await store?.close();
  });

  it("reads a composite key in key order and each foreign-key column paired with its parent column", async () => {
    const sites = await readTableShape(store, "sh_sites");
    expect(sites?.key).toEqual(["id"]);
    expect(sites?.columns.map((c) => c.name)).toEqual([
      "id",
      "owner_id",
      "region_code",
      "region_country",
      "status",
    ]);
    expect(new Set(sites?.foreignKeys.map((f) => JSON.stringify(f)))).toEqual(
      new Set(
        [
          { from: "owner_id", table: "sh_owners", to: "id" },
          { from: "region_country", table: "sh_regions", to: "country" },
          { from: "region_code", table: "sh_regions", to: "code" },
        ].map((f) => JSON.stringify(f)),
      ),
    );
    const regions = await readTableShape(store, "sh_regions");
    expect(regions?.key).toEqual(["country", "code"]);
    expect(regions?.foreignKeys).toEqual([]);
  });

  it("tells required columns from optional and defaulted ones", async () => {
    const sites = await readTableShape(store, "sh_sites");
    const column = (name: string) => sites?.columns.find((c) => c.name === name);
    expect(column("region_code")).toEqual({
      name: "region_code",
      notNull: true,
      hasDefault: false,
      keyPosition: 0,
    });
    expect(column("owner_id")).toMatchObject({ notNull: false, hasDefault: false, keyPosition: 0 });
    expect(column("status")).toMatchObject({ notNull: true, hasDefault: true });
    expect(column("id")).toMatchObject({ keyPosition: 1 });
  });

  it("gives a table without a primary key an empty key, and undefined for a table that does not exist", async () => {
    const notes = await readTableShape(store, "sh_notes");
    expect(notes?.key).toEqual([]);
    expect(notes?.foreignKeys).toEqual([{ from: "site_id", table: "sh_sites", to: "id" }]);
    expect(await readTableShape(store, "sh_missing")).toBeUndefined();
    expect(await readTableShape(store, 'sh_sites"; DROP TABLE sh_owners; --')).toBeUndefined();
    expect(await readTableShape(store, "sh_owners")).toBeDefined();
  });

  it("lists the store's tables, the kit's own among them", async () => {
    const tables = await listTables(store);
    expect(tables).toEqual(
      expect.arrayContaining(["_migrations", "sh_notes", "sh_owners", "sh_regions", "sh_sites"]),
    );
    expect(tables).toEqual([...tables].sort());
    expect(tables.some((t) => t.startsWith("sqlite_") || t.startsWith("pg_"))).toBe(false);
  });
});

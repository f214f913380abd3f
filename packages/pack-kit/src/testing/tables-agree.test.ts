import { describe, expect, expectTypeOf, it } from "vitest";
import { PackKitError } from "../errors.js";
import { defineTables, integer, type RowsOf, real, text } from "../store/tables.js";
import type { Store } from "../store/types.js";
import { checkTablesMatchMigrations } from "./tables-agree.js";
import { openTestStore, testStoreDialect } from "./test-store.js";

// One table with every kind and a nullable column; the declarations below drift from it one way
// each. Runs on SQLite, and on Postgres in the pack-kit-postgres project.
const DDL =
  "CREATE TABLE deals (id TEXT PRIMARY KEY, amount_minor INTEGER NOT NULL, rate REAL NOT NULL, closed_on TEXT)";
const pack = (tables: ReturnType<typeof defineTables>) => ({
  name: "fixture",
  dialects: ["sqlite", "postgres"] as const,
  migrations: [{ id: "0001", statements: [DDL], postgres: [DDL.replace("INTEGER", "BIGINT")] }],
  tables,
});
const deals = { id: text(), amount_minor: integer(), rate: real(), closed_on: text().nullable() };

async function problemsOf(tables: ReturnType<typeof defineTables>): Promise<string> {
  const store: Store = await openTestStore();
  try {
    await checkTablesMatchMigrations(pack(tables), store);
    return "";
  } catch (error) {
    return (error as Error).message;
  } finally {
    await store.close();
  }
}

describe(`declared tables against the migrated store (${testStoreDialect()})`, () => {
  it("accepts a declaration that matches the DDL", async () => {
    expect(await problemsOf(defineTables({ deals }))).toBe("");
  });

  it("fails on a column declared with the wrong kind, naming table, column and both kinds", async () => {
    const message = await problemsOf(defineTables({ deals: { ...deals, amount_minor: real() } }));
    expect(message).toContain(`on ${testStoreDialect()}`);
    expect(message).toContain("deals.amount_minor: declared real, but the migrated column is integer");
  });

  it("fails on a declared column the table lacks", async () => {
    const message = await problemsOf(defineTables({ deals: { ...deals, stage: text() } }));
    expect(message).toContain("deals.stage: declared, but the migrated table has no such column");
  });

  it("fails on a migrated column the declaration lacks", async () => {
    const { rate: _, ...withoutRate } = deals;
    const message = await problemsOf(defineTables({ deals: withoutRate }));
    expect(message).toContain("deals.rate: in the migrated table, but not declared");
  });

  it("fails on nullability either way", async () => {
    const message = await problemsOf(
      defineTables({ deals: { ...deals, closed_on: text(), rate: real().nullable() } }),
    );
    expect(message).toContain("deals.closed_on: declared NOT NULL, but the migrated column is nullable");
    expect(message).toContain("deals.rate: declared nullable, but the migrated column is NOT NULL");
  });

  it("fails on a declared table the migrations do not build, and on an undeclared one they do", async () => {
    expect(await problemsOf(defineTables({ deals, stages: { id: text() } }))).toContain(
      "stages: declared, but the migrations build no such table",
    );
    expect(await problemsOf(defineTables({ other: { id: text() } }))).toContain(
      "deals: built by the migrations, but neither declared nor excluded",
    );
  });

  it("accepts a table excluded with a reason, and fails on an exclusion of a table that is not there", async () => {
    expect(await problemsOf(defineTables({}, { excluded: { deals: "no query reads it" } }))).toBe("");
    expect(await problemsOf(defineTables({ deals }, { excluded: { gone: "dropped" } }))).toContain(
      "gone: excluded, but the migrations build no such table",
    );
  });

  it("says so when a pack declares no tables", async () => {
    const store = await openTestStore();
    try {
      await expect(
        checkTablesMatchMigrations({ ...pack(defineTables({})), tables: undefined }, store),
      ).rejects.toThrow(/declares no tables/);
    } finally {
      await store.close();
    }
  });
});

describe("defineTables", () => {
  it("derives row types: kinds to string or number, nullable columns to | null", () => {
    const tables = defineTables({ deals });
    type Deal = RowsOf<typeof tables>["deals"];
    expectTypeOf<Deal>().toEqualTypeOf<{
      id: string;
      amount_minor: number;
      rate: number;
      closed_on: string | null;
    }>();
  });

  it("refuses names the kit would have to quote, and a table both declared and excluded", () => {
    expect(() => defineTables({ Deals: { id: text() } })).toThrow(PackKitError);
    expect(() => defineTables({ deals: { "closed on": text() } })).toThrow(
      /"deals.closed on" is not a plain/,
    );
    expect(() => defineTables({ deals }, { excluded: { deals: "x" } })).toThrow(/both declared and excluded/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackKitError } from "../errors.js";
import { openSqliteStore } from "../node/sqlite-store.js";
import type { Store } from "../store/types.js";
import {
  openPostgresTestStore,
  type PostgresTestStore,
  postgresTestServer,
} from "../testing/postgres-test-store.js";
import { d1Store } from "../workers/d1-store.js";
import { isConstraintViolation } from "./constraint-violation.js";
import { openMiniflareD1 } from "./miniflare-d1.js";

const schema = [
  "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
  `CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE, c INTEGER CHECK (c > 0),
     p INTEGER REFERENCES parent(id), n TEXT NOT NULL DEFAULT 'x')`,
  "CREATE TRIGGER no_bad BEFORE INSERT ON t WHEN NEW.u = 'bad' BEGIN SELECT RAISE(ABORT, 'no bad rows, SQLITE_ERROR'); END",
  "INSERT INTO t (id, u, c) VALUES (1, 'a', 1)",
];

const violations = {
  unique: "INSERT INTO t (id, u, c) VALUES (2, 'a', 1)",
  "primary key": "INSERT INTO t (id, u, c) VALUES (1, 'z', 1)",
  check: "INSERT INTO t (id, u, c) VALUES (3, 'b', 0)",
  "foreign key": "INSERT INTO t (id, u, c, p) VALUES (4, 'c', 1, 99)",
  "not null": "INSERT INTO t (id, u, c, n) VALUES (5, 'd', 1, NULL)",
  "trigger RAISE": "INSERT INTO t (id, u, c) VALUES (6, 'bad', 1)",
};

const others = {
  "a missing table": "INSERT INTO nowhere VALUES (1)",
  "a syntax error": "INSERT INTO t VALUES (",
  "a missing column named like a constraint": "INSERT INTO t (constraint_failed) VALUES (1)",
};

async function failureOf(store: Store, sql: string): Promise<unknown> {
  // In a batch, as the write path runs it, after a statement that succeeds.
  try {
    await store.batch([{ sql: "INSERT INTO t (id, u, c) VALUES (100, 'ok', 1)" }, { sql }]);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${sql} to fail`);
}

const d1 = await openMiniflareD1("constraint-violation-test");
const stores: Array<[string, Store]> = [
  ["node:sqlite", openSqliteStore()],
  ["D1 (workerd)", d1Store(d1.db)],
];
beforeAll(async () => {
  for (const [, store] of stores) for (const sql of schema) await store.run(sql);
});
afterAll(async () => {
  for (const [, store] of stores) await store.close();
  await d1.dispose();
});

describe.each(stores)("isConstraintViolation on %s", (_name, store) => {
  it.each(Object.entries(violations))("recognises a %s failure", async (_kind, sql) => {
    expect(isConstraintViolation(await failureOf(store, sql))).toBe(true);
  });

  it.each(Object.entries(others))("does not take %s for a constraint", async (_kind, sql) => {
    expect(isConstraintViolation(await failureOf(store, sql))).toBe(false);
  });
});

describe("isConstraintViolation", () => {
  it("looks through a wrapper's cause", async () => {
    const error = await failureOf(stores[0]![1], violations.unique);
    expect(isConstraintViolation(new Error("write failed", { cause: error }))).toBe(true);
  });

  it("is false for a closed store, non-errors and a message that only mentions a constraint", async () => {
    const closed = openSqliteStore();
    await closed.close();
    expect(isConstraintViolation(await closed.batch([{ sql: "SELECT 1" }]).catch((e: unknown) => e))).toBe(
      false,
    );
    expect(isConstraintViolation(new PackKitError("store_closed", "closed"))).toBe(false);
    expect(isConstraintViolation(new Error("UNIQUE constraint failed: t.u"))).toBe(false);
    expect(isConstraintViolation(new Error("SQLITE_CONSTRAINT: later in the text"))).toBe(false);
    expect(isConstraintViolation("D1_ERROR: x: SQLITE_CONSTRAINT")).toBe(false);
    expect(isConstraintViolation(undefined)).toBe(false);
  });

  it("stops on a cyclic cause chain", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(isConstraintViolation(a)).toBe(false);
  });
});

const postgres = postgresTestServer();

describe.skipIf(!postgres.url)(`isConstraintViolation on Postgres ${postgres.skipped ?? ""}`, () => {
  let store: PostgresTestStore;
  beforeAll(async () => {
    store = await openPostgresTestStore();
    const [parent, table, , insert] = schema;
    await store.batch([
      { sql: parent! },
      { sql: table! },
      {
        sql: `CREATE FUNCTION no_bad() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
          RAISE EXCEPTION 'no bad rows' USING ERRCODE = 'check_violation'; END $$`,
      },
      {
        sql: "CREATE TRIGGER no_bad BEFORE INSERT ON t FOR EACH ROW WHEN (NEW.u = 'bad') EXECUTE FUNCTION no_bad()",
      },
      { sql: insert! },
    ]);
  });
  afterAll(async () => {
    await store?.close();
  });

  it.each(Object.entries(violations))("recognises a %s failure", async (_kind, sql) => {
    expect(isConstraintViolation(await failureOf(store, sql))).toBe(true);
  });

  it.each(Object.entries(others))("does not take %s for a constraint", async (_kind, sql) => {
    expect(isConstraintViolation(await failureOf(store, sql))).toBe(false);
  });
});

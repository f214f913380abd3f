import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.js";
import { insertRows, TableWriter } from "./insert-rows.js";
import type { Statement, Store } from "./types.js";

interface Item {
  id: number;
  name: string | null;
  note?: string;
}

/** A SQLite store that records every batch it is given. */
async function recordingStore(): Promise<{ store: Store; batches: Statement[][] }> {
  const inner = openSqliteStore();
  await inner.run("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, note TEXT)");
  await inner.run(
    "CREATE TABLE parts (id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items (id))",
  );
  const batches: Statement[][] = [];
  const store: Store = {
    ...inner,
    batch: (statements) => {
      batches.push([...statements]);
      return inner.batch(statements);
    },
  };
  return { store, batches };
}

const items = (n: number): Item[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `item ${i + 1}` }));

describe("insertRows", () => {
  it("writes every row, never binding more than 99 parameters per statement (D1's bound)", async () => {
    const { store, batches } = await recordingStore();
    expect(await insertRows<Item>(store, "items", ["id", "name", "note"], items(1_000))).toBe(1_000);
    expect(await store.first("SELECT COUNT(*) AS n, SUM(id) AS s FROM items")).toEqual({
      n: 1_000,
      s: 500_500,
    });
    const statements = batches.flat();
    expect(Math.max(...statements.map((s) => s.params?.length ?? 0))).toBe(99);
    expect(statements).toHaveLength(31); // 33 rows of 3 columns per statement, the last one shorter
    await store.close();
  });

  it("groups statements into bounded atomic batches", async () => {
    const { store, batches } = await recordingStore();
    await insertRows<Item>(store, "items", ["id", "name"], items(100), {
      maxParams: 10,
      statementsPerBatch: 3,
    });
    expect(batches.map((b) => b.length)).toEqual([3, 3, 3, 3, 3, 3, 2]);
    expect(batches.flat().every((s) => (s.params?.length ?? 0) <= 10)).toBe(true);
    await store.close();
  });

  it("writes missing fields as NULL and accepts async streams", async () => {
    const { store } = await recordingStore();
    async function* stream() {
      yield { id: 1, name: null };
      yield { id: 2, name: "two", note: "n" };
    }
    expect(await insertRows<Item>(store, "items", ["id", "name", "note"], stream())).toBe(2);
    expect(await store.all("SELECT id, name, note FROM items ORDER BY id")).toEqual([
      { id: 1, name: null, note: null },
      { id: 2, name: "two", note: "n" },
    ]);
    await store.close();
  });

  it("writes nothing for an empty stream", async () => {
    const { store, batches } = await recordingStore();
    expect(await insertRows<Item>(store, "items", ["id"], [])).toBe(0);
    expect(batches).toEqual([]);
    await store.close();
  });

  it("rolls back the whole failing batch", async () => {
    const { store } = await recordingStore();
    const rows = [...items(5), { id: 3, name: "duplicate" }];
    await expect(insertRows<Item>(store, "items", ["id", "name"], rows)).rejects.toThrow(/UNIQUE/);
    expect(await store.first("SELECT COUNT(*) AS n FROM items")).toEqual({ n: 0 });
    await store.close();
  });

  it("refuses table and column names that would change the SQL, and empty or zero options", async () => {
    const { store, batches } = await recordingStore();
    const hostile = ["items; DROP TABLE items", "items (id) VALUES (1); --", "", "1items", 'items"'];
    for (const table of hostile) {
      await expect(insertRows<Item>(store, table, ["id"], items(1))).rejects.toMatchObject({
        code: "invalid_identifier",
      });
    }
    await expect(insertRows(store, "items", ["id) VALUES (1); --" as never], items(1))).rejects.toMatchObject(
      {
        code: "invalid_identifier",
      },
    );
    await expect(insertRows<Item>(store, "items", [], items(1))).rejects.toMatchObject({
      code: "invalid_columns",
    });
    await expect(insertRows<Item>(store, "items", ["id"], items(1), { maxParams: 0 })).rejects.toMatchObject({
      code: "invalid_insert_options",
    });
    await expect(
      insertRows<Item>(store, "items", ["id"], items(1), { statementsPerBatch: 1.5 }),
    ).rejects.toMatchObject({ code: "invalid_insert_options" });
    expect(batches).toEqual([]);
    await store.close();
  });
});

describe("TableWriter", () => {
  it("flushes the parent table before each child batch, so foreign keys hold while both stream", async () => {
    const { store, batches } = await recordingStore();
    const parents = new TableWriter<Item>(store, "items", ["id", "name"]);
    const children = new TableWriter<{ id: number; item_id: number }>(store, "parts", ["id", "item_id"], {
      parent: parents,
      maxParams: 2,
      statementsPerBatch: 1,
    });
    for (const item of items(50)) {
      await parents.push(item);
      await children.push({ id: item.id, item_id: item.id });
    }
    await children.flush();
    expect(parents.written).toBe(50);
    expect(children.written).toBe(50);
    expect(batches[0]?.[0]?.sql).toMatch(/^INSERT INTO items/);
    expect(await store.first("SELECT COUNT(*) AS n FROM parts")).toEqual({ n: 50 });
    await children.flush();
    expect(await store.first("SELECT COUNT(*) AS n FROM parts")).toEqual({ n: 50 });
    await store.close();
  });
});

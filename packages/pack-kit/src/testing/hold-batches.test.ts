import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.js";
import { holdBatches } from "./hold-batches.js";

const openCounter = async () => {
  const store = openSqliteStore(":memory:");
  await store.run("CREATE TABLE counter (n INTEGER NOT NULL)");
  await store.run("INSERT INTO counter (n) VALUES (0)");
  return store;
};

describe("holdBatches", () => {
  it("lets no batch commit until all n are pending, so every racer plans on the same state", async () => {
    const store = await openCounter();
    const held = holdBatches(store, 3);
    // Each racer reads, then writes what it read plus one: a lost update unless they really race.
    const racer = async () => {
      const row = await held.first<{ n: number }>("SELECT n FROM counter");
      await held.batch([{ sql: "UPDATE counter SET n = ?", params: [row!.n + 1] }]);
      return row!.n;
    };
    const first = racer();
    const second = racer();
    let settled = false;
    void Promise.all([first, second]).then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    expect(await store.first("SELECT n FROM counter")).toEqual({ n: 0 });
    const seen = await Promise.all([first, second, racer()]);
    expect(seen).toEqual([0, 0, 0]);
    expect(await store.first("SELECT n FROM counter")).toEqual({ n: 1 });
    await store.close();
  });

  it("passes batches after the first n straight through", async () => {
    const store = await openCounter();
    const held = holdBatches(store, 1);
    await held.batch([{ sql: "UPDATE counter SET n = n + 1" }]);
    await held.batch([{ sql: "UPDATE counter SET n = n + 1" }]);
    expect(await held.first("SELECT n FROM counter")).toEqual({ n: 2 });
    await held.close();
  });

  it("holds nothing with n = 0 and refuses a count that is not a whole number", async () => {
    const store = await openCounter();
    await holdBatches(store, 0).batch([{ sql: "UPDATE counter SET n = 5" }]);
    expect(await store.first("SELECT n FROM counter")).toEqual({ n: 5 });
    for (const n of [-1, 1.5, Number.NaN]) expect(() => holdBatches(store, n)).toThrow(RangeError);
    await store.close();
  });
});

import { describe, expect, it } from "vitest";
import { appendAll } from "../collections/append-all.js";
import { maxParamsFor } from "../store/insert-rows.js";
import { getAsOf } from "../store/meta.js";
import { preparePackStore, seedWorld } from "../store/migrate.js";
import { defineTables, text } from "../store/tables.js";
import type { Statement, Store } from "../store/types.js";
import { linesConnector, shopPack } from "../testing/fixtures/shop-pack.js";
import { openTestStore } from "../testing/test-store.js";
import { readProvenance } from "./provenance.js";
import { formatImportReport, runImport } from "./run-import.js";
import type { Connector, SourceFile } from "./types.js";

const file = (text: string, name = "export.txt"): SourceFile => ({
  name,
  text,
  modifiedAt: "2025-09-14T08:00:00Z",
});

const EXPORT = [
  "customers,C1,name=Acme;email=ops@acme.test",
  "customers,C2,name=Globex",
  "orders,O1,customer_id=C1;amount_minor=12050;currency=USD;status=paid",
  "orders,O2,customer_id=C2;amount_minor=900;currency=EUR;status=open",
  "orders,O3,customer_id=C1;amount_minor=100;currency=USD;status=void",
].join("\n");

async function snapshot(store: Store) {
  return {
    customers: await store.all("SELECT * FROM shop_customers ORDER BY id"),
    orders: await store.all("SELECT * FROM shop_orders ORDER BY id"),
  };
}

describe("runImport", () => {
  it("imports rows with provenance, and re-importing the same export changes nothing", async () => {
    const store = await openTestStore();
    const first = await runImport(store, shopPack, linesConnector, [file(EXPORT)], undefined);
    expect(first).toMatchObject({ inserted: 5, updated: 0, unchanged: 0, rejected: 0, asOf: "2025-09-14" });
    // Parents land first whatever order the connector yields them in.
    expect(first.tables.map((t) => t.table)).toEqual(["shop_customers", "shop_orders"]);
    expect(
      await store.first("SELECT source_system, source_id, amount_label FROM shop_orders WHERE id = 'O1'"),
    ).toEqual({
      source_system: "lines",
      source_id: "O1",
      amount_label: "12050 USD",
    });
    const before = await snapshot(store);
    const again = await runImport(store, shopPack, linesConnector, [file(EXPORT)], undefined);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 5, rejected: 0 });
    expect(await snapshot(store)).toEqual(before);
    const provenance = await readProvenance(store, "shop");
    expect(provenance.map((p) => [p.table, p.sourceSystem, p.sourceId, p.asOf, p.rows])).toEqual([
      ["shop_customers", "lines", "export.txt", "2025-09-14", 2],
      ["shop_orders", "lines", "export.txt", "2025-09-14", 3],
    ]);
    await store.close();
  });

  it("imports an export whose one batch holds more rows than a call can take arguments (150,000)", async () => {
    // The connector yields every row of the file in one batch; spreading that into push() threw
    // "Maximum call stack size exceeded" past ~1.2 x 10^5 rows, so a 10^6-row export could not load.
    const store = await openTestStore();
    const lines = Array.from({ length: 150_000 }, (_, i) => `customers,C${i},name=Customer ${i}`);
    const report = await runImport(store, shopPack, linesConnector, [file(lines.join("\n"))], undefined);
    expect(report).toMatchObject({ inserted: 150_000, rejected: 0 });
    expect(await store.first("SELECT COUNT(*) AS n FROM shop_customers")).toEqual({ n: 150_000 });
    await store.close();
  }, 300_000);

  it("sends new rows as multi-row INSERTs, none over the store's parameter bound", async () => {
    // One INSERT per row cost a round trip each on Postgres; one INSERT of every row would pass
    // Postgres' 65,535 (and SQLite's 32,766, D1's 100) bound parameters and be refused.
    const store = await openTestStore();
    const statements: Statement[] = [];
    const recording: Store = {
      ...store,
      batch: (batch) => {
        appendAll(statements, batch);
        return store.batch(batch);
      },
    };
    const rows = 40_000;
    const lines = Array.from(
      { length: rows },
      (_, i) => `customers,C${i},name=Customer ${i};email=c${i}@x.test`,
    );
    const report = await runImport(recording, shopPack, linesConnector, [file(lines.join("\n"))], undefined);
    expect(report).toMatchObject({ inserted: rows, rejected: 0 });
    const inserts = statements.filter((s) => s.sql.startsWith("INSERT INTO shop_customers"));
    const bound = maxParamsFor(store.dialect);
    expect(Math.max(...inserts.map((s) => s.params?.length ?? 0))).toBeLessThanOrEqual(bound);
    expect(inserts.length).toBe(Math.ceil(rows / Math.floor(bound / 5)));
    expect(await store.first("SELECT COUNT(*) AS n FROM shop_customers")).toEqual({ n: rows });
    expect(await store.first("SELECT name, email FROM shop_customers WHERE id = 'C39999'")).toEqual({
      name: "Customer 39999",
      email: "c39999@x.test",
    });
    await store.close();
  }, 120_000);

  it("a newer export updates only the rows that differ and says which columns changed", async () => {
    const store = await openTestStore();
    await runImport(store, shopPack, linesConnector, [file(EXPORT)], undefined);
    const newer = EXPORT.replace(
      "amount_minor=900;currency=EUR;status=open",
      "amount_minor=900;currency=EUR;status=paid",
    ).concat("\norders,O4,customer_id=C2;amount_minor=5;currency=USD;status=open");
    const report = await runImport(store, shopPack, linesConnector, [file(newer)], undefined, {
      asOf: "2025-10-01",
    });
    expect(report).toMatchObject({ inserted: 1, updated: 1, unchanged: 4, rejected: 0 });
    expect(report.tables.find((t) => t.table === "shop_orders")?.changes).toEqual([
      { id: "O2", columns: ["status"] },
    ]);
    expect(await store.first("SELECT status FROM shop_orders WHERE id = 'O2'")).toEqual({ status: "paid" });
    expect(await getAsOf(store, "shop")).toBe("2025-10-01");
    await store.close();
  });

  it("rejects bad rows with file, line, column and reason, and loads the rest", async () => {
    const store = await openTestStore();
    const text = [
      "customers,C1,name=Acme",
      "customers,C2,email=x@y.test", // no name
      "bad,C3,",
      "orders,O1,customer_id=C1;amount_minor=1;currency=USD;status=paid",
      "orders,O2,customer_id=C9;amount_minor=1;currency=USD;status=paid", // unknown customer
      "orders,O3,customer_id=C2;amount_minor=1;currency=USD;status=paid", // its customer was rejected
      "orders,O4,customer_id=C1;amount_minor=1;currency=USD;status=lost", // completeRow refuses
      "orders,O1,customer_id=C1;amount_minor=2;currency=USD;status=paid", // repeated id
    ].join("\n");
    const report = await runImport(store, shopPack, linesConnector, [file(text, "x.txt")], undefined);
    expect(report.inserted).toBe(2);
    expect(report.rejections).toEqual([
      { file: "x.txt", line: 2, reason: "no value for name; shop_customers.name is required." },
      { file: "x.txt", line: 3, column: "kind", reason: "bad record" },
      {
        file: "x.txt",
        line: 5,
        column: "customer_id column",
        reason: expect.stringMatching(/shop_customers C9, which is neither/),
      },
      {
        file: "x.txt",
        line: 6,
        column: "customer_id column",
        reason: expect.stringMatching(/shop_customers C2/),
      },
      {
        file: "x.txt",
        line: 7,
        reason: expect.stringMatching(/status "lost" is not one of open, paid, void/),
      },
      {
        file: "x.txt",
        line: 8,
        reason: expect.stringMatching(/source id O1 appears again \(first at x.txt:4\)/),
      },
    ]);
    expect(await store.all("SELECT id, amount_minor FROM shop_orders")).toEqual([
      { id: "O1", amount_minor: 1 },
    ]);
    await store.close();
  });

  it("stub rows fill missing parents but never overwrite a real row", async () => {
    const store = await openTestStore();
    await runImport(
      store,
      shopPack,
      linesConnector,
      [file("customers,C1,name=Acme Corp;email=a@acme.test")],
      undefined,
    );
    const text = [
      "stub:customers,C1,name=C1",
      "stub:customers,C2,name=C2",
      "orders,O1,customer_id=C1;amount_minor=1;currency=USD;status=paid",
      "orders,O2,customer_id=C2;amount_minor=1;currency=USD;status=paid",
    ].join("\n");
    const report = await runImport(store, shopPack, linesConnector, [file(text)], undefined);
    expect(report).toMatchObject({ inserted: 3, updated: 0, rejected: 0 });
    expect(await store.all("SELECT id, name FROM shop_customers ORDER BY id")).toEqual([
      { id: "C1", name: "Acme Corp" },
      { id: "C2", name: "C2" },
    ]);
    // The real row replaces a stub in the same import.
    const later = await runImport(
      store,
      shopPack,
      linesConnector,
      [file("stub:customers,C3,name=C3\ncustomers,C3,name=Initech")],
      undefined,
    );
    expect(later.inserted).toBe(1);
    expect(await store.first("SELECT name FROM shop_customers WHERE id = 'C3'")).toEqual({ name: "Initech" });
    await store.close();
  });

  it("is all or nothing: a failing statement leaves the store and provenance as they were", async () => {
    const store = await openTestStore();
    await runImport(store, shopPack, linesConnector, [file(EXPORT)], undefined);
    const before = { ...(await snapshot(store)), provenance: await readProvenance(store, "shop") };
    // A trigger makes the last order insert fail after the customers were written in the batch.
    if (store.dialect === "postgres") {
      await store.run(
        "CREATE FUNCTION no_big() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'too big'; END $$",
      );
      await store.run(
        "CREATE TRIGGER no_big BEFORE INSERT ON shop_orders FOR EACH ROW WHEN (NEW.amount_minor > 1000000) EXECUTE FUNCTION no_big()",
      );
    } else {
      await store.run(
        "CREATE TRIGGER no_big BEFORE INSERT ON shop_orders WHEN NEW.amount_minor > 1000000 BEGIN SELECT RAISE(ABORT, 'too big'); END",
      );
    }
    const text = `${EXPORT}\ncustomers,C5,name=New\norders,O9,customer_id=C5;amount_minor=2000000;currency=USD;status=paid`;
    await expect(
      runImport(store, shopPack, linesConnector, [file(text)], undefined, { asOf: "2026-01-01" }),
    ).rejects.toThrow(/too big/);
    expect({ ...(await snapshot(store)), provenance: await readProvenance(store, "shop") }).toEqual(before);
    await store.close();
  });

  it("a dry run reports the same counts and writes nothing", async () => {
    const store = await openTestStore();
    await runImport(store, shopPack, linesConnector, [file(EXPORT)], undefined);
    const before = { ...(await snapshot(store)), provenance: await readProvenance(store, "shop") };
    const newer = `${EXPORT.replace("name=Globex", "name=Globex Inc")}\norders,O7,customer_id=C1;amount_minor=3;currency=USD;status=paid`;
    const dry = await runImport(store, shopPack, linesConnector, [file(newer)], undefined, {
      dryRun: true,
      asOf: "2026-01-01",
    });
    expect(dry).toMatchObject({ dryRun: true, inserted: 1, updated: 1, unchanged: 4 });
    expect({ ...(await snapshot(store)), provenance: await readProvenance(store, "shop") }).toEqual(before);
    await store.close();
  });

  describe("a newer export that lacks rows imported earlier from the same system", () => {
    // C2 and its order O2 were deleted in the source; O3 too.
    const NEWER = [
      "customers,C1,name=Acme;email=ops@acme.test",
      "orders,O1,customer_id=C1;amount_minor=12050;currency=USD;status=paid",
    ].join("\n");

    it("removes them, reports each, and no answer counts them any more", async () => {
      const store = await openTestStore();
      await runImport(store, shopPack, linesConnector, [file(EXPORT)], undefined);
      const report = await runImport(store, shopPack, linesConnector, [file(NEWER)], undefined);
      expect(report).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, removed: 3, kept: [] });
      expect(report.tables.map((t) => [t.table, t.removed, t.removedIds])).toEqual([
        ["shop_customers", 1, ["C2"]],
        ["shop_orders", 2, ["O2", "O3"]],
      ]);
      expect(await store.all("SELECT id FROM shop_orders ORDER BY id")).toEqual([{ id: "O1" }]);
      expect(await store.all("SELECT id FROM shop_customers ORDER BY id")).toEqual([{ id: "C1" }]);
      expect((await readProvenance(store, "shop")).map((p) => [p.table, p.rows])).toEqual([
        ["shop_customers", 1],
        ["shop_orders", 1],
      ]);
      expect(formatImportReport(report)).toMatch(
        /shop_orders: .*2 removed\n {4}removed O2: not in this export/,
      );
      await store.close();
    });

    it("a dry run reports the same removals and writes nothing", async () => {
      const store = await openTestStore();
      await runImport(store, shopPack, linesConnector, [file(EXPORT)], undefined);
      const before = { ...(await snapshot(store)), provenance: await readProvenance(store, "shop") };
      const dry = await runImport(store, shopPack, linesConnector, [file(NEWER)], undefined, {
        dryRun: true,
      });
      expect(dry).toMatchObject({ dryRun: true, removed: 3 });
      expect(dry.tables.flatMap((t) => t.removedIds)).toEqual(["C2", "O2", "O3"]);
      expect(formatImportReport(dry)).toMatch(/3 would be removed/);
      expect({ ...(await snapshot(store)), provenance: await readProvenance(store, "shop") }).toEqual(before);
      await store.close();
    });

    it("keeps a missing row that a row which stays still refers to, and says why", async () => {
      const store = await openTestStore();
      await runImport(store, shopPack, linesConnector, [file(EXPORT)], undefined);
      // Only the customers export, newer, without C2: C2's order was not re-exported, so it stays.
      const report = await runImport(
        store,
        shopPack,
        linesConnector,
        [file("customers,C1,name=Acme;email=ops@acme.test")],
        undefined,
      );
      expect(report.removed).toBe(0);
      expect(report.kept).toEqual([
        { table: "shop_customers", id: "C2", reason: expect.stringMatching(/referred to by shop_orders O2/) },
      ]);
      expect(await store.first("SELECT COUNT(*) AS n FROM shop_customers")).toEqual({ n: 2 });
      // A row written by hand (no source) keeps its parent even when the order export drops it.
      await store.run(
        "INSERT INTO shop_orders (id, customer_id, amount_minor, currency, status, amount_label) VALUES ('T1', 'C2', 5, 'USD', 'open', '5 USD')",
      );
      const both = await runImport(store, shopPack, linesConnector, [file(NEWER)], undefined);
      expect(both.tables.map((t) => [t.table, t.removed])).toEqual([
        ["shop_customers", 0],
        ["shop_orders", 2],
      ]);
      expect(both.kept).toEqual([
        { table: "shop_customers", id: "C2", reason: expect.stringMatching(/shop_orders T1/) },
      ]);
      await store.close();
    });

    it("only lists them with removeMissing false (a filtered export), and never removes on a pull of changes", async () => {
      const store = await openTestStore();
      await runImport(store, shopPack, linesConnector, [file(EXPORT)], undefined);
      const listed = await runImport(store, shopPack, linesConnector, [file(NEWER)], undefined, {
        removeMissing: false,
      });
      expect(listed).toMatchObject({ removed: 3, removedMissing: false });
      expect(formatImportReport(listed)).toMatch(/3 missing \(kept: --keep-missing\)/);
      expect(await store.first("SELECT COUNT(*) AS n FROM shop_orders")).toEqual({ n: 3 });
      // An API connector pulls what changed since the last sync: absence means nothing.
      const changes: Connector = {
        name: "changes",
        system: "lines",
        description: "changes since",
        pull: () => [
          {
            rows: [
              {
                table: "shop_customers",
                values: { id: "C1", name: "Acme Corp" },
                sourceId: "C1",
                origin: { file: "api", line: 1 },
              },
            ],
            rejected: [],
          },
        ],
      };
      const sync = await runImport(store, shopPack, changes, [], undefined);
      expect(sync).toMatchObject({ updated: 1, removed: 0 });
      expect(await store.first("SELECT COUNT(*) AS n FROM shop_customers")).toEqual({ n: 2 });
      await store.close();
    });
  });

  it("refuses a connector that writes a column the pack keeps from other rows, and writes nothing", async () => {
    // A kept column (a running count the pack's triggers maintain) written from a file would stand
    // wrong until the triggers next recount that row.
    const keeping = {
      ...shopPack,
      tables: defineTables({ shop_orders: { amount_label: text().kept() } }),
    };
    const store = await openTestStore();
    const forged = `${EXPORT}\norders,O9,customer_id=C1;amount_minor=1;currency=USD;status=paid;amount_label=forged`;
    await expect(runImport(store, keeping, linesConnector, [file(forged)], undefined)).rejects.toMatchObject({
      code: "kept_column",
      message: expect.stringMatching(/shop_orders\.amount_label.*Leave it out of the mapping/),
    });
    expect(await store.first("SELECT COUNT(*) AS n FROM shop_orders")).toEqual({ n: 0 });
    // Without it the same pack imports, the column filled by the pack itself.
    expect(await runImport(store, keeping, linesConnector, [file(EXPORT)], undefined)).toMatchObject({
      inserted: 5,
    });
    await store.close();
  });

  it("never mixes imports and the generated world in one store", async () => {
    const seeded = await openTestStore();
    await preparePackStore(seeded, shopPack, { scale: 3, seed: 1 });
    await expect(
      runImport(seeded, shopPack, linesConnector, [file(EXPORT)], undefined),
    ).rejects.toMatchObject({
      code: "store_holds_world",
      message: expect.stringMatching(/Import into a new --db file/),
    });
    expect(await getAsOf(seeded, "shop")).toBe("2025-06-30");
    await seeded.close();

    const imported = await openTestStore();
    await runImport(imported, shopPack, linesConnector, [file(EXPORT)], undefined);
    expect(await preparePackStore(imported, shopPack, { scale: 3, seed: 1 })).toBe(false);
    await expect(seedWorld(imported, shopPack, { scale: 3, seed: 1 })).rejects.toMatchObject({
      code: "store_holds_imports",
    });
    expect(await imported.first("SELECT COUNT(*) AS n FROM shop_orders")).toEqual({ n: 3 });
    expect(await getAsOf(imported, "shop")).toBe("2025-09-14");
    await imported.close();
  });

  it("records the world as one more source when it seeds", async () => {
    const store = await openTestStore();
    expect(await seedWorld(store, shopPack, { scale: 4, seed: 9 })).toBe(true);
    expect(
      (await readProvenance(store, "shop")).map((p) => [p.table, p.sourceSystem, p.sourceId, p.asOf, p.rows]),
    ).toEqual([
      ["shop_customers", "world", "seed 9, scale 4", "2025-06-30", 1],
      ["shop_orders", "world", "seed 9, scale 4", "2025-06-30", 4],
    ]);
    expect(await seedWorld(store, shopPack, { scale: 4, seed: 9 })).toBe(false);
    await store.close();
  });
});

import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.js";
import { shopPack } from "../testing/fixtures/shop-pack.js";
import { compileJsonPath } from "./json-path.js";
import { parseImportMapping } from "./mapping.js";
import { resolveConnector } from "./resolve-connector.js";
import { runImport } from "./run-import.js";

const JSON_EXPORT = JSON.stringify({
  data: [
    { id: 1, attributes: { name: "Acme", "e-mail": "a@acme.test" } },
    { id: 2, attributes: { name: "Globex" } },
    { id: null, attributes: { name: "No id" } },
    { id: 4, attributes: { name: { first: "nested" } } },
  ],
});

describe("the json and csv formats", () => {
  it("fill a table through JSONPath, reporting records by number and path", async () => {
    const mapping = parseImportMapping(
      "m.json",
      JSON.stringify({
        system: "api-dump",
        tables: [
          {
            table: "shop_customers",
            records: "$.data[*]",
            id: "$.id",
            idPrefix: "A-",
            fields: { name: "$.attributes.name", email: "$.attributes['e-mail']", country: { value: "NL" } },
          },
        ],
      }),
    );
    const store = openSqliteStore();
    const report = await runImport(
      store,
      shopPack,
      resolveConnector(shopPack, "json", mapping),
      [{ name: "c.json", text: JSON_EXPORT }],
      mapping,
    );
    expect(report).toMatchObject({ inserted: 2, rejected: 2 });
    expect(report.rejections).toEqual([
      { file: "c.json", line: 3, column: "$.id", reason: "the source id is blank; every record needs one." },
      {
        file: "c.json",
        line: 4,
        column: "$.attributes.name",
        reason: "$.attributes.name holds an object or list, not a value.",
      },
    ]);
    expect(
      await store.all(
        "SELECT id, name, email, country, source_system, source_id FROM shop_customers ORDER BY id",
      ),
    ).toEqual([
      {
        id: "A-1",
        name: "Acme",
        email: "a@acme.test",
        country: "NL",
        source_system: "api-dump",
        source_id: "1",
      },
      { id: "A-2", name: "Globex", email: null, country: "NL", source_system: "api-dump", source_id: "2" },
    ]);
    await store.close();
  });

  it("validates mapping files with the schema, naming the path at fault", () => {
    const bad = [
      [{ system: "X Y", tables: [] }, /system: .*lowercase/],
      [
        { system: "s", tables: [{ table: "t", id: "id", fields: { amount: { from: "A", type: "money" } } }] },
        /needs `currency` or `currencyFrom`/,
      ],
      [{ system: "s", tables: [{ table: "t; DROP", id: "id", fields: {} }] }, /tables\.0\.table/],
      [
        { system: "s", tables: [{ table: "t", id: "id", fields: { a: { from: "A", value: 1 } } }] },
        /exactly one of `from`/,
      ],
      [{ system: "s", extra: true }, /Unrecognized key/],
    ] as const;
    for (const [json, message] of bad)
      expect(() => parseImportMapping("m.json", JSON.stringify(json))).toThrow(message);
  });

  it("refuses csv/json mappings that cannot say which file fills which table", () => {
    const mapping = parseImportMapping(
      "m.json",
      JSON.stringify({
        system: "s",
        tables: [
          { table: "shop_customers", id: "id", fields: {} },
          { table: "shop_orders", id: "id", fields: {} },
        ],
      }),
    );
    expect(() => resolveConnector(shopPack, "csv", mapping)).toThrow(/give each a "file" name or pattern/);
    expect(() => resolveConnector(shopPack, "csv", parseImportMapping("m.json", "{}"))).toThrow(
      /needs "system"/,
    );
  });

  it("evaluates the JSONPath subset and refuses the rest", () => {
    const doc = { a: [{ b: 1 }, { b: 2 }], "x y": { z: "q" } };
    expect(compileJsonPath("$.a[*].b")(doc)).toEqual([1, 2]);
    expect(compileJsonPath("$.a[1].b")(doc)).toEqual([2]);
    expect(compileJsonPath("$['x y'].z")(doc)).toEqual(["q"]);
    expect(compileJsonPath("a[0]")(doc)).toEqual([{ b: 1 }]);
    expect(() => compileJsonPath("$..b")).toThrow(/not supported/);
    expect(() => compileJsonPath("$.a[?(@.b>1)]")).toThrow(/not supported/);
  });
});

import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.js";
import { schemaShape } from "./migrations-agree.js";

describe("schemaShape", () => {
  it("describes a SQLite FTS5 table as the text index it is, with its shadow tables and feeding triggers", async () => {
    // Postgres builds a GIN index of the same name for the same search: the shapes must match.
    const store = openSqliteStore();
    await store.run("CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
    await store.run(
      "CREATE VIRTUAL TABLE notes_body_trigrams USING fts5(body, content='notes', content_rowid='rowid', tokenize='trigram')",
    );
    await store.run(
      "CREATE TRIGGER notes_body_trigrams_insert AFTER INSERT ON notes BEGIN INSERT INTO notes_body_trigrams (rowid, body) VALUES (NEW.rowid, NEW.body); END",
    );
    await store.run("CREATE TRIGGER notes_touch AFTER UPDATE ON notes BEGIN SELECT 1; END");
    const shape = await schemaShape(store);
    expect(Object.keys(shape.tables)).toEqual(["notes"]);
    expect(shape.indexes).toEqual(["notes_body_trigrams"]);
    expect(shape.triggers).toEqual(["notes_touch"]);
    await store.close();
  });
});

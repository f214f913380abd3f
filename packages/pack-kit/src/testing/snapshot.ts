import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { listTables } from "../store/table-shape.js";
import type { ReadStore } from "../store/types.js";

/**
 * A digest of every row of every table (SQLite, or Postgres' current schema), independent of row order: equal digests mean
 * the store holds the same data. Used to prove read tools and dry runs change nothing.
 */
export async function snapshotStore(store: ReadStore): Promise<string> {
  const hash = createHash("sha256");
  for (const name of await listTables(store)) {
    const rows = await store.all(`SELECT * FROM "${name.replace(/"/g, '""')}"`);
    const lines = rows
      .map((row) => JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)))
      .sort();
    hash.update(`${name}\n${lines.join("\n")}\n`);
  }
  return hash.digest("hex");
}

/** SHA-256 of a database file and its `-wal` / `-journal` companions: byte-for-byte identity. */
export function fileDigest(path: string): string {
  const hash = createHash("sha256");
  for (const file of [path, `${path}-wal`, `${path}-journal`]) {
    hash.update(file.slice(path.length));
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

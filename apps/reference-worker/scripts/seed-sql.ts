/**
 * Builds the SQL that seeds the Worker's D1 database: every pack's migrations and its slice of
 * the generated world, made in an in-memory SQLite by the packs' own code (the same code the
 * Node CLI and the Worker run), then written out as idempotent SQL (CREATE ... IF NOT EXISTS,
 * INSERT OR IGNORE), kit tables included so the Worker sees the packs as migrated and seeded.
 */
import type { PackDefinition, Store } from "@toolpacks/pack-kit";
import { preparePackStore } from "@toolpacks/pack-kit";

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString("hex")}'`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** Seeds `store` with `packs` and returns the SQL that recreates its schema and rows. */
export async function seedSql(
  store: Store,
  packs: readonly PackDefinition[],
  world: { scale: number; seed: number },
): Promise<string> {
  for (const pack of packs) await preparePackStore(store, pack, world);
  const objects = await store.all<{ type: string; name: string; sql: string | null }>(
    "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL ORDER BY type = 'index', rowid",
  );
  const out: string[] = [];
  for (const o of objects) {
    out.push(
      `${o.sql?.replace(/^CREATE (TABLE|UNIQUE INDEX|INDEX) (IF NOT EXISTS )?/i, "CREATE $1 IF NOT EXISTS ")};`,
    );
  }
  for (const table of objects.filter((o) => o.type === "table")) {
    const rows = await store.all<Record<string, unknown>>(`SELECT * FROM "${table.name}"`);
    for (const row of rows) {
      const cols = Object.keys(row);
      out.push(
        `INSERT OR IGNORE INTO "${table.name}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((c) => literal(row[c])).join(", ")});`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

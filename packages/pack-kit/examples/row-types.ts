// Declare a table once, derive the query's row type from it, and check it against the migrations.
// Run it: npx -y pnpm@10 exec tsx packages/pack-kit/examples/row-types.ts
import { defineTables, integer, type RowsOf, text } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { checkTablesMatchMigrations } from "@toolpacks/pack-kit/testing";

const migrations = [
  {
    id: "0001_deals",
    statements: [
      "CREATE TABLE deals (id TEXT PRIMARY KEY, stage TEXT NOT NULL, amount_minor INTEGER NOT NULL, closed_on TEXT)",
    ],
  },
];
const tables = defineTables({
  deals: { id: text(), stage: text(), amount_minor: integer(), closed_on: text().nullable() },
});
type Rows = RowsOf<typeof tables>;
// A query's row: the columns it reads, from the declaration, plus what it computes.
type StageTotal = Pick<Rows["deals"], "stage"> & { deals: number; amount_minor: number };

const store = openSqliteStore();
await checkTablesMatchMigrations({ name: "demo", migrations, tables }, store);
await store.run("INSERT INTO deals VALUES ('D-1', 'won', 5000, '2026-11-30'), ('D-2', 'won', 2500, NULL)");
const totals = await store.all<StageTotal>(
  "SELECT stage, COUNT(*) AS deals, SUM(amount_minor) AS amount_minor FROM deals GROUP BY stage",
);
console.log("totals:", JSON.stringify(totals));

// A declaration that drifted from the DDL fails, naming table and column.
const drifted = defineTables({ deals: { ...tables.tables.deals, closed_on: text(), owner_id: text() } });
const fresh = openSqliteStore();
await checkTablesMatchMigrations({ name: "demo", migrations, tables: drifted }, fresh).catch((error: Error) =>
  console.log(error.message),
);
await Promise.all([store.close(), fresh.close()]);

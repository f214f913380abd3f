import type { Store } from "@toolpacks/pack-kit";

/**
 * Copies `crm_accounts` back into itself in reverse id order the way a dump/restore does: the
 * rows first (a table with a TEXT primary key gets new rowids), its triggers only afterwards, so
 * nothing that hangs off the table hears of the copy. On Postgres rows have no rowid to lose,
 * and the same copy is an ordinary rewrite (its foreign keys are not deferrable, so it runs with
 * replication-role triggers off, as pg_restore of data does).
 */
export async function copyAccountsReversed(store: Store): Promise<void> {
  if (store.dialect === "postgres") {
    await store.batch([
      { sql: "SET LOCAL session_replication_role = replica" },
      { sql: "CREATE TEMP TABLE accounts_copy AS SELECT * FROM crm_accounts" },
      { sql: "DELETE FROM crm_accounts" },
      { sql: "INSERT INTO crm_accounts SELECT * FROM accounts_copy ORDER BY id DESC" },
      { sql: "DROP TABLE accounts_copy" },
    ]);
    return;
  }
  const triggers = await store.all<{ name: string; sql: string }>(
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'crm_accounts'",
  );
  await store.run("PRAGMA foreign_keys = OFF");
  try {
    await store.batch([
      ...triggers.map((t) => ({ sql: `DROP TRIGGER ${t.name}` })),
      { sql: "CREATE TEMP TABLE accounts_copy AS SELECT * FROM crm_accounts" },
      { sql: "DELETE FROM crm_accounts" },
      { sql: "INSERT INTO crm_accounts SELECT * FROM accounts_copy ORDER BY id DESC" },
      { sql: "DROP TABLE accounts_copy" },
      ...triggers.map((t) => ({ sql: t.sql })),
    ]);
  } finally {
    await store.run("PRAGMA foreign_keys = ON");
  }
}

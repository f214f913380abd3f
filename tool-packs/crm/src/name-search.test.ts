import { migratePack } from "@toolpacks/pack-kit";
import { openTestStore } from "@toolpacks/pack-kit/testing";
import { describe, expect, it } from "vitest";
import { migrations } from "./migrations.js";
import { nameMatch } from "./name-search.js";

const pack = { name: "crm", migrations, dialects: ["sqlite", "postgres"] as const };

describe("the name index on upgrade", () => {
  it("finds the accounts a store already had, including those written after a gap", async () => {
    const store = await openTestStore();
    try {
      // A store as it was before the index moved to keys of its own (0009's rowid keys).
      await migratePack(store, { ...pack, migrations: migrations.filter((m) => m.id < "0012") });
      await store.run("INSERT INTO crm_owners (id, name, team) VALUES ('O-1', 'Ann', 'east')");
      const account = (id: string, name: string) =>
        store.run(
          `INSERT INTO crm_accounts (id, name, industry, country, currency, segment, employees, owner_id, created_on)
           VALUES (?, ?, 'retail', 'DE', 'EUR', 'smb', 5, 'O-1', '2026-01-02')`,
          [id, name],
        );
      await account("C-1", "Harbourlight Foods");
      await account("C-2", "Harbourlight Gone");
      await store.run("DELETE FROM crm_accounts WHERE id = 'C-2'");
      await account("C-3", "Old Harbourlight Mill");
      await migratePack(store, { ...pack, migrations });
      const match = nameMatch(store.dialect, "harbourlight");
      const found = await store.all<{ id: string }>(
        `SELECT id FROM ${match.from} WHERE ${match.sql} ORDER BY id`,
        match.params,
      );
      expect(found.map((r) => r.id)).toEqual(["C-1", "C-3"]);
    } finally {
      await store.close();
    }
  });
});

import { encodeCursor } from "@toolpacks/pack-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm } from "../test-support.js";
import { copyAccountsReversed } from "../testing/copy-accounts.js";

describe("search_companies", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  it("finds every account whose name contains the query, case-insensitively, prefix matches first", async () => {
    const expected = [...crm.world.crm.accounts()].filter((a) => a.name.toLowerCase().includes("water"));
    expect(expected.length).toBeGreaterThan(5);
    const { data } = await crm.call("search_companies", { query: "WATER" });
    expect(data.total_matches).toBe(expected.length);
    const all = await crm.pages<{ id: string; name: string }>(
      "search_companies",
      { query: "water", limit: 4 },
      "companies",
    );
    expect(all.map((c) => c.id).sort()).toEqual(expected.map((a) => a.id).sort());
    const prefix = all.map((c) => c.name.toLowerCase().startsWith("water"));
    expect(prefix).toEqual([...prefix].sort((a, b) => Number(b) - Number(a)));
  });

  it("finds an account by its exact id and applies filters", async () => {
    const { data } = await crm.call("search_companies", { query: "C-000003" });
    expect(data.companies[0].id).toBe("C-000003");
    const de = await crm.call("search_companies", { query: "a", country: "de", limit: 20 });
    for (const c of de.data.companies) expect(c.country).toBe("DE");
  });

  it("says the number of matches on every page, even one past the last match", async () => {
    const expected = [...crm.world.crm.accounts()].filter((a) => a.name.toLowerCase().includes("water"));
    const filters = { query: "water", country: undefined, segment: undefined, industry: undefined };
    for (const offset of [2, expected.length]) {
      const { data } = await crm.call("search_companies", {
        query: "water",
        limit: 2,
        cursor: encodeCursor(offset, filters),
      });
      expect(data.total_matches).toBe(expected.length);
      expect(data.companies.length).toBe(offset < expected.length ? 2 : 0);
    }
  });

  it("finds names by queries shorter than 3 characters too (no trigram to look up)", async () => {
    const expected = [...crm.world.crm.accounts()].filter((a) => a.name.toLowerCase().includes("wa"));
    const { data } = await crm.call("search_companies", { query: "WA" });
    expect(data.total_matches).toBe(expected.length);
  });

  it("keeps finding accounts as they are added, renamed and removed", async () => {
    const owner = (await crm.store.first<{ id: string }>("SELECT id FROM crm_owners ORDER BY id"))?.id;
    await crm.store.run(
      `INSERT INTO crm_accounts (id, name, industry, country, currency, segment, employees, owner_id, created_on)
       VALUES ('C-TRGM-1', 'Zyxquartz Holdings', 'retail', 'DE', 'EUR', 'smb', 12, ?, '2026-01-02')`,
      [owner ?? null],
    );
    const found = async (query: string) =>
      (await crm.call("search_companies", { query })).data.companies.map((c: { id: string }) => c.id);
    expect(await found("QUARTZ")).toEqual(["C-TRGM-1"]);
    await crm.store.run(
      "UPDATE crm_accounts SET segment = 'enterprise', country = 'FR' WHERE id = 'C-TRGM-1'",
    );
    const filtered = await crm.call("search_companies", {
      query: "quartz",
      segment: "enterprise",
      country: "FR",
    });
    expect(filtered.data.companies.map((c: { id: string; country: string }) => [c.id, c.country])).toEqual([
      ["C-TRGM-1", "FR"],
    ]);
    await crm.store.run("UPDATE crm_accounts SET name = 'Plainfield Mills' WHERE id = 'C-TRGM-1'");
    expect(await found("quartz")).toEqual([]);
    expect(await found("plainfield m")).toEqual(["C-TRGM-1"]);
    await crm.store.run("UPDATE crm_accounts SET id = 'C-TRGM-1B' WHERE id = 'C-TRGM-1'");
    expect(await found("plainfield m")).toEqual(["C-TRGM-1B"]);
    await crm.store.run("DELETE FROM crm_accounts WHERE id = 'C-TRGM-1B'");
    expect(await found("plainfield m")).toEqual([]);
  });

  it("folds ASCII letters only, on both stores: É is not é", async () => {
    // The trigram index folds É to é; the answer must still be what lower() and LIKE say.
    const owner = (await crm.store.first<{ id: string }>("SELECT id FROM crm_owners ORDER BY id"))?.id;
    await crm.store.run(
      `INSERT INTO crm_accounts (id, name, industry, country, currency, segment, employees, owner_id, created_on)
       VALUES ('C-TRGM-2', 'ÉCOLE Supérieure', 'education', 'FR', 'EUR', 'smb', 40, ?, '2026-01-02')`,
      [owner ?? null],
    );
    const ids = async (query: string) =>
      (await crm.call("search_companies", { query })).data.companies.map((c: { id: string }) => c.id);
    expect(await ids("école")).toEqual([]);
    expect(await ids("Écol")).toEqual(["C-TRGM-2"]);
    expect(await ids("supérieure")).toEqual(["C-TRGM-2"]);
    await crm.store.run("DELETE FROM crm_accounts WHERE id = 'C-TRGM-2'");
  });

  it("treats % and _ in the query literally", async () => {
    const { data } = await crm.call("search_companies", { query: "%" });
    expect(data.total_matches).toBe(0);
  });

  it("refuses an empty query", async () => {
    const { isError } = await crm.call("search_companies", { query: "   " });
    expect(isError).toBe(true);
  });
});

describe("search_companies on a copied store", () => {
  // A .dump/restore, .recover or INSERT … SELECT copy writes the accounts first and the triggers
  // after, and gives a table without an INTEGER PRIMARY KEY new rowids (VACUUM may too).
  it("still finds every account after the accounts are copied back in another order", async () => {
    const crm = await openCrm();
    try {
      const expected = [...crm.world.crm.accounts()].filter((a) => a.name.toLowerCase().includes("water"));
      await copyAccountsReversed(crm.store);
      const all = await crm.pages<{ id: string }>(
        "search_companies",
        { query: "water", limit: 20 },
        "companies",
      );
      expect(all.map((c) => c.id).sort()).toEqual(expected.map((a) => a.id).sort());
      expect((await crm.call("search_companies", { query: "WATER" })).data.total_matches).toBe(
        expected.length,
      );
    } finally {
      await crm.close();
    }
  });
});

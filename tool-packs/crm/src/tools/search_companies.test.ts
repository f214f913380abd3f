import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm } from "../test-support.js";

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

  it("treats % and _ in the query literally", async () => {
    const { data } = await crm.call("search_companies", { query: "%" });
    expect(data.total_matches).toBe(0);
  });

  it("refuses an empty query", async () => {
    const { isError } = await crm.call("search_companies", { query: "   " });
    expect(isError).toBe(true);
  });
});

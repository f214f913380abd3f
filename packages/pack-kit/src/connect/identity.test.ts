import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.js";
import {
  buildIdentityMap,
  lookupIdentity,
  matchIdentities,
  normalizeIdentityKey,
  readIdentityPairs,
} from "./identity.js";

const crm = (id: string, domain: string | null, name = id) => ({ system: "crm", id, name, keys: { domain } });
const billing = (id: string, email: string | null, taxId: string | null = null) => ({
  system: "billing",
  id,
  keys: { email, domain: email, tax_id: taxId },
});

describe("matchIdentities", () => {
  it("ties records by explicit pairs and declared keys, transitively, and reports rates and unmatched", () => {
    const records = [
      crm("A1", "https://www.Acme.com/about"),
      crm("A2", "globex.io"),
      crm("A3", null, "Initech"),
      crm("A4", "umbrella.test"),
      billing("cus_1", "ap@acme.com"),
      billing("cus_2", "billing@GLOBEX.io"),
      billing("cus_3", "founder@gmail.com"),
      billing("cus_4", null, "DE 123-456-789"),
      { system: "erp", id: "P-9", keys: { tax_id: "de123456789" } },
    ];
    const match = matchIdentities(records, {
      keys: ["domain", "tax_id"],
      pairs: [{ a: { system: "crm", id: "A3" }, b: { system: "billing", id: "cus_4" } }],
      systems: ["crm", "billing", "erp"],
    });
    const cluster = (id: string) => match.clusters.find((c) => c.records.some((r) => r.id === id));
    expect(cluster("cus_1")).toMatchObject({
      canonicalId: "A1",
      records: [
        { id: "A1", matchedBy: "domain" },
        { id: "cus_1", matchedBy: "domain" },
      ],
    });
    expect(cluster("cus_2")?.canonicalId).toBe("A2");
    // A3 ~ cus_4 by the pair, cus_4 ~ P-9 by tax id: one business.
    expect(cluster("P-9")?.records.map((r) => [r.id, r.matchedBy])).toEqual([
      ["A3", "pair"],
      ["cus_4", "pair"],
      ["P-9", "tax_id"],
    ]);
    expect(match.rates).toEqual([
      { system: "crm", records: 4, matched: 3, rate: 0.75 },
      { system: "billing", records: 4, matched: 3, rate: 0.75 },
      { system: "erp", records: 1, matched: 1, rate: 1 },
    ]);
    expect(match.unmatched).toEqual([
      { system: "crm", id: "A4", name: "A4" },
      { system: "billing", id: "cus_3" },
    ]);
  });

  it("never matches on a key value two records of one system share, and reports it", () => {
    const match = matchIdentities(
      [crm("A1", "acme.com"), crm("A2", "acme.com"), billing("cus_1", "x@acme.com")],
      { keys: ["domain"] },
    );
    expect(match.ambiguous).toEqual([{ key: "domain", value: "acme.com", system: "crm", ids: ["A1", "A2"] }]);
    expect(match.unmatched).toHaveLength(3);
  });

  it("refuses pairs naming unknown records", () => {
    expect(() =>
      matchIdentities([crm("A1", null)], {
        keys: [],
        pairs: [
          {
            a: { system: "crm", id: "A1" },
            b: { system: "billing", id: "nope" },
            origin: { file: "p.csv", line: 3 },
          },
        ],
      }),
    ).toThrow(/p\.csv:3: billing nope is not a known record/);
  });

  it("normalises keys and ignores values that identify no business", () => {
    expect(normalizeIdentityKey("domain", "HTTP://www.Example.co.uk:8080/x")).toBe("example.co.uk");
    expect(normalizeIdentityKey("domain", "jane@Example.com")).toBe("example.com");
    expect(normalizeIdentityKey("domain", "jane@gmail.com")).toBeUndefined();
    expect(normalizeIdentityKey("domain", "not a domain")).toBeUndefined();
    expect(normalizeIdentityKey("email", " Jane@Example.com ")).toBe("jane@example.com");
    expect(normalizeIdentityKey("tax_id", "GB 123.456-789")).toBe("GB123456789");
    expect(normalizeIdentityKey("tax_id", "  ")).toBeUndefined();
  });
});

describe("identity map in a store", () => {
  it("builds from packs' identity sources, stores every record and answers lookups", async () => {
    const store = openSqliteStore();
    await store.batch([
      { sql: "CREATE TABLE crm_accounts (id TEXT PRIMARY KEY, name TEXT, domain TEXT)" },
      { sql: "CREATE TABLE billing_customers (id TEXT PRIMARY KEY, name TEXT, email TEXT)" },
      { sql: "INSERT INTO crm_accounts VALUES ('A1', 'Acme', 'acme.com'), ('A2', 'Globex', NULL)" },
      {
        sql: "INSERT INTO billing_customers VALUES ('cus_1', 'ACME Inc', 'ap@acme.com'), ('cus_2', 'Globex', 'g@globex.io')",
      },
    ]);
    const packs = [
      { name: "crm", identity: [{ entity: "customer", sql: "SELECT id, name, domain FROM crm_accounts" }] },
      {
        name: "billing",
        identity: [
          { entity: "customer", sql: "SELECT id, name, email AS domain, email FROM billing_customers" },
        ],
      },
    ];
    const pairs = readIdentityPairs({
      name: "pairs.csv",
      text: "system_a,id_a,system_b,id_b\r\ncrm,A2,billing,cus_2\r\n",
    });
    const match = await buildIdentityMap(store, packs, { entity: "customer", keys: ["domain"], pairs });
    expect(match.rates.map((r) => r.rate)).toEqual([1, 1]);
    expect(await lookupIdentity(store, "customer", { system: "billing", id: "cus_1" }, "crm")).toEqual([
      "A1",
    ]);
    expect(await lookupIdentity(store, "customer", { system: "crm", id: "A2" }, "billing")).toEqual([
      "cus_2",
    ]);
    // Rebuilt without the pair: the stored map is replaced, not added to.
    await buildIdentityMap(store, packs, { entity: "customer", keys: ["domain"] });
    expect(await lookupIdentity(store, "customer", { system: "crm", id: "A2" }, "billing")).toEqual([]);
    expect(await store.first("SELECT COUNT(*) AS n FROM _identity")).toEqual({ n: 4 });
    await expect(
      buildIdentityMap(store, packs.slice(0, 1), { entity: "customer", keys: ["domain"] }),
    ).rejects.toMatchObject({ code: "no_identity_source" });
    expect(() =>
      readIdentityPairs({ name: "p.csv", text: "system_a,id_a,system_b,id_b\ncrm,,billing,x\n" }),
    ).toThrow(/p\.csv:2: id_a is blank/);
    await store.close();
  });
});

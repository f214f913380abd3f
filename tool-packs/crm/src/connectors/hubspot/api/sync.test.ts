import {
  type RetryOptions,
  readCursors,
  runSync,
  type Store,
  SyncError,
  syncStatusTool,
} from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeHubSpot, startFakeHubSpot } from "../../../testing/fake-hubspot.js";
import { createHubSpot } from "./client.js";
import { hubspotSource } from "./source.js";
import { hubspotSync } from "./spec.js";

let fake: FakeHubSpot;
let store: Store;
let waits: number[];

beforeEach(async () => {
  fake = await startFakeHubSpot();
  store = openSqliteStore();
  waits = [];
});
afterEach(async () => {
  await fake.close();
  await store.close();
});

/** A source over the fake; retries wait nothing but record what they would have waited. */
function source(retry: RetryOptions = {}, options: { pageSize?: number; searchWindow?: number } = {}) {
  const hubspot = createHubSpot({
    accessToken: fake.token,
    baseUrl: fake.url,
    retry: { sleep: async (ms) => void waits.push(ms), ...retry },
  });
  // The first load's change cursor starts at the fake's clock (no overlap), so tests see exact increments.
  return hubspotSource(hubspot, {
    pageSize: options.pageSize ?? 5,
    now: () => fake.clock.now,
    overlapMs: 0,
    ...options,
  });
}

const STAGES = [
  "appointmentscheduled",
  "qualifiedtobuy",
  "presentationscheduled",
  "contractsent",
  "closedwon",
  "closedlost",
];

/** A small portal: 3 owners, 8 companies, a contact each, 13 deals (one per company plus some), 2 lines per won deal. */
function fillPortal() {
  const owners = [
    fake.addOwner("Ada", "Lovelace", "EMEA"),
    fake.addOwner("Grace", "Hopper"),
    fake.addOwner("Alan", "Turing", "NA"),
  ];
  const companies = Array.from({ length: 8 }, (_, i) =>
    fake.add("companies", {
      name: `Company ${i}`,
      domain: `company${i}.example`,
      industry: "COMPUTER_SOFTWARE",
      country: i % 2 ? "Germany" : "United States",
      numberofemployees: String(50 * (i + 1) ** 2),
      hubspot_owner_id: owners[i % 3]?.id ?? null,
    }),
  );
  for (const [i, c] of companies.entries()) {
    fake.add("contacts", {
      firstname: `First${i}`,
      lastname: `Last${i}`,
      email: `p${i}@company${i}.example`,
      jobtitle: "CFO",
      associatedcompanyid: c.id,
    });
  }
  const deals = Array.from({ length: 13 }, (_, i) =>
    fake.add(
      "deals",
      {
        dealname: `Deal ${i}`,
        dealstage: STAGES[i % STAGES.length] ?? "closedwon",
        pipeline: "default",
        amount: `${1000 + i}.50`,
        deal_currency_code: i % 4 === 3 ? "EUR" : "USD",
        closedate: `2026-1${i % 3}-15T00:00:00.000Z`,
        hubspot_owner_id: owners[i % 3]?.id ?? null,
        closed_lost_reason: i % STAGES.length === 5 ? "price" : null,
      },
      i === 12
        ? {}
        : {
            companies: [
              { id: companies[i % 8]?.id as string, label: "Primary" },
              { id: companies[(i + 1) % 8]?.id as string },
            ],
          },
    ),
  );
  for (const d of deals.filter((_, i) => i % STAGES.length === 4)) {
    for (let n = 0; n < 2; n++) {
      fake.add(
        "line_items",
        {
          name: `Widget ${n}`,
          hs_sku: `W-${n}`,
          quantity: "3",
          price: "10.00",
          amount: "30.00",
          hs_line_item_currency_code: "USD",
        },
        { deals: [{ id: d.id, label: "Primary" }] },
      );
    }
  }
  return { owners, companies, deals };
}

const count = async (table: string) =>
  Number((await store.first<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);

async function snapshot() {
  const out: Record<string, unknown[]> = {};
  for (const table of ["crm_owners", "crm_accounts", "crm_contacts", "crm_deals", "crm_deal_lines"]) {
    out[table] = await store.all(`SELECT * FROM ${table} ORDER BY id`);
  }
  return out;
}

describe("HubSpot sync: first load", () => {
  it("pages through every object type with after, maps into the export connector's ids, and reads owners and stages", async () => {
    const { deals, companies } = fillPortal();
    const report = await runSync(store, pack, source());
    expect(report.rejected).toBe(0);
    // 8 companies + the "(no company)" placeholder of the deal without one.
    expect(await count("crm_accounts")).toBe(9);
    expect(await count("crm_contacts")).toBe(8);
    expect(await count("crm_deals")).toBe(13);
    expect(await count("crm_deal_lines")).toBe(4);
    // Three named owners (by name, as exports show them) and "Unassigned" for the ownerless placeholder.
    expect(
      (await store.all<{ id: string }>("SELECT id FROM crm_owners ORDER BY id")).map((o) => o.id),
    ).toEqual(["hs:U-ada-lovelace", "hs:U-alan-turing", "hs:U-grace-hopper", "hs:U-unassigned"]);
    expect(await store.first("SELECT team FROM crm_owners WHERE id = 'hs:U-ada-lovelace'")).toEqual({
      team: "EMEA",
    });
    const first = deals[0];
    expect(await store.first("SELECT * FROM crm_deals WHERE id = ?", [`hs:D-${first?.id}`])).toMatchObject({
      account_id: `hs:C-${companies[0]?.id}`,
      owner_id: "hs:U-ada-lovelace",
      stage: "prospecting",
      amount_minor: 100_050,
      currency: "USD",
      close_date: "2026-10-15",
      source_system: "hubspot",
      source_id: first?.id,
    });
    expect(
      await store.first("SELECT lost_reason FROM crm_deals WHERE stage = 'closed_lost' LIMIT 1"),
    ).toEqual({ lost_reason: "price" });
    expect(
      await store.first("SELECT account_id, email FROM crm_contacts WHERE name = 'First3 Last3'"),
    ).toEqual({
      account_id: `hs:C-${companies[3]?.id}`,
      email: "p3@company3.example",
    });
    // Pages of 5 followed by `after`; associations asked with the list.
    const dealPages = fake.requests.filter((r) => r.path === "/crm/v3/objects/deals");
    expect(dealPages).toHaveLength(3);
    expect(dealPages[1]?.query).toContain("after=");
    expect(dealPages[0]?.query).toContain("associations=companies");
    expect(fake.requests.some((r) => r.path.endsWith("/search"))).toBe(false);
    // A second run changes nothing and lists nothing again.
    const before = fake.requests.length;
    const again = await runSync(store, pack, source());
    expect(again).toMatchObject({ inserted: 0, updated: 0, rejected: 0 });
    expect(
      // Only the archived lists (deletions) are read in full again.
      fake.requests
        .slice(before)
        .some(
          (r) =>
            r.method === "GET" && r.path.startsWith("/crm/v3/objects/") && !r.query.includes("archived=true"),
        ),
    ).toBe(false);
  });

  it("a stage no vocabulary knows is rejected naming the deal and property; a custom closed stage maps by its probability", async () => {
    fillPortal();
    const odd = fake.add("deals", {
      dealname: "Odd",
      dealstage: "9999",
      pipeline: "default",
      amount: "5",
      closedate: "2026-11-01",
    });
    const custom = fake.add("deals", {
      dealname: "Custom won",
      dealstage: "1234567",
      pipeline: "default",
      amount: "5",
      closedate: "2026-11-01",
    });
    const report = await runSync(store, pack, source());
    expect(report.rejected).toBe(1);
    expect(report.rejections[0]).toMatchObject({ file: `hubspot deal ${odd.id}`, column: "dealstage" });
    expect(report.rejections[0]?.reason).toContain("closed_won");
    expect(await store.first("SELECT stage FROM crm_deals WHERE id = ?", [`hs:D-${custom.id}`])).toEqual({
      stage: "closed_won",
    });
  });

  it("a crash mid-sync resumes from the committed pages: same rows as an uninterrupted sync", async () => {
    fillPortal();
    fake.fail(1, 500, { match: /GET \/crm\/v3\/objects\/deals$/, skip: 1 });
    await expect(runSync(store, pack, source({ maxRetries: 0 }))).rejects.toMatchObject({
      code: "source_unavailable",
    });
    const cursors = await readCursors(store, "crm", "hubspot");
    expect(cursors.get("companies")).toBe("done");
    expect(cursors.get("deals")).toMatch(/^\d+$/);
    expect(await count("crm_deals")).toBe(5);
    // Something changes in HubSpot before the resume: it arrives through the search API.
    const late = fake.add("companies", { name: "Late Ltd" });
    await runSync(store, pack, source());
    expect(await count("crm_deals")).toBe(13);
    await runSync(store, pack, source());
    const resumed = await snapshot();
    expect(resumed["crm_accounts"]?.some((a) => (a as { id: string }).id === `hs:C-${late.id}`)).toBe(true);
    const clean = openSqliteStore();
    await runSync(clean, pack, source());
    for (const table of Object.keys(resumed)) {
      const rows = (await clean.all(`SELECT * FROM ${table} ORDER BY id`)) as unknown[];
      expect(resumed[table]?.length).toBe(rows.length);
      expect(resumed[table]).toEqual(rows);
    }
    await clean.close();
  });
});

describe("HubSpot sync: increments", () => {
  it("searches each type modified since the cursor, ascending, and applies the changes with their associations", async () => {
    const { deals, companies } = fillPortal();
    await runSync(store, pack, source());
    const before = fake.requests.length;
    fake.update("deals", deals[0]?.id as string, { dealstage: "closedwon", amount: "2000" });
    const added = fake.add(
      "deals",
      {
        dealname: "New",
        dealstage: "qualifiedtobuy",
        pipeline: "default",
        amount: "42",
        closedate: "2026-12-01",
      },
      { companies: [{ id: companies[5]?.id as string }] },
    );
    fake.update("companies", companies[1]?.id as string, { name: "Renamed GmbH" });
    const report = await runSync(store, pack, source());
    expect(report).toMatchObject({ inserted: 1, rejected: 0 });
    const requests = fake.requests.slice(before);
    const searches = requests.filter((r) => r.path.endsWith("/search"));
    expect(searches.map((r) => r.path)).toContain("/crm/v3/objects/deals/search");
    expect(searches.find((r) => r.path.includes("/deals/"))?.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: "hs_lastmodifieddate", operator: "GTE" }] }],
      sorts: [{ propertyName: "hs_lastmodifieddate", direction: "ASCENDING" }],
    });
    expect(searches.find((r) => r.path.includes("/contacts/"))?.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: "lastmodifieddate" }] }],
    });
    expect(
      await store.first("SELECT stage, amount_minor FROM crm_deals WHERE id = ?", [`hs:D-${deals[0]?.id}`]),
    ).toEqual({ stage: "closed_won", amount_minor: 200_000 });
    expect(await store.first("SELECT account_id FROM crm_deals WHERE id = ?", [`hs:D-${added.id}`])).toEqual({
      account_id: `hs:C-${companies[5]?.id}`,
    });
    expect(
      await store.first("SELECT name FROM crm_accounts WHERE id = ?", [`hs:C-${companies[1]?.id}`]),
    ).toEqual({ name: "Renamed GmbH" });
    // Nothing new: nothing changed (the records at exactly the cursor's time are not read again).
    expect(await runSync(store, pack, source())).toMatchObject({ inserted: 0, updated: 0 });
  });

  it("records sharing the cursor's modification time are applied once, none lost, across pages and runs", async () => {
    fillPortal();
    await runSync(store, pack, source());
    // Seven companies changed in the same millisecond, read in pages of 5.
    fake.clock.step = 0;
    const same = Array.from({ length: 7 }, (_, i) => fake.add("companies", { name: `Same ${i}` }));
    fake.clock.step = 1000;
    fake.clock.now += 1000;
    const report = await runSync(store, pack, source());
    expect(report.tables.find((t) => t.table === "crm_accounts")).toMatchObject({ inserted: 7 });
    // One more at that same time arrives after the run: the next run reads only it.
    fake.clock.now -= 1000;
    fake.clock.step = 0;
    const straggler = fake.add("companies", { name: "Straggler" });
    const next = await runSync(store, pack, source());
    expect(next.tables.find((t) => t.table === "crm_accounts")).toMatchObject({
      inserted: 1,
      updated: 0,
      unchanged: 0,
    });
    expect(await count("crm_accounts")).toBe(9 + same.length + 1);
    expect(await store.first("SELECT name FROM crm_accounts WHERE id = ?", [`hs:C-${straggler.id}`])).toEqual(
      { name: "Straggler" },
    );
  });

  it("past the search API's result window, searches again from the last time read: no record missed", async () => {
    fillPortal();
    await runSync(store, pack, source());
    fake.searchWindow = 10;
    const many = Array.from({ length: 23 }, (_, i) =>
      fake.add("contacts", { firstname: `Many${i}`, email: `m${i}@x.example` }),
    );
    const report = await runSync(store, pack, source({}, { searchWindow: 10 }));
    expect(report.rejected).toBe(0);
    expect(await count("crm_contacts")).toBe(8 + many.length);
    const searches = fake.requests.filter((r) => r.path === "/crm/v3/objects/contacts/search");
    // Never asked past the window (the fake answers 400 there, as HubSpot does).
    expect(searches.every((r) => Number((r.body as { after?: string }).after ?? 0) < 10)).toBe(true);
    expect(searches.length).toBeGreaterThan(3);
  });
});

describe("HubSpot sync: deletions", () => {
  it("removes what HubSpot archived since the last run, keeping what a kept row still refers to", async () => {
    const { deals, companies } = fillPortal();
    await runSync(store, pack, source());
    const lonely = fake.add("companies", { name: "Nobody's" });
    await runSync(store, pack, source());
    const wonWithLines = deals[4]?.id as string;
    const line = [...(fake.objects.get("line_items")?.values() ?? [])].find(
      (l) => l.associations["deals"]?.[0]?.id === deals[10]?.id,
    );
    const contact = [...(fake.objects.get("contacts")?.values() ?? [])][2];
    // A deal the pack logged an activity on stays: the activity refers to it.
    const worked = `hs:D-${deals[1]?.id}`;
    await store.run(
      "INSERT INTO crm_activities (id, deal_id, account_id, owner_id, kind, subject, occurred_at) SELECT 'ACT-1', id, account_id, owner_id, 'call', 'x', '2026-11-01T00:00:00Z' FROM crm_deals WHERE id = ?",
      [worked],
    );
    fake.archive("deals", wonWithLines);
    fake.archive("deals", deals[1]?.id as string);
    fake.archive("line_items", line?.id as string);
    fake.archive("contacts", contact?.id as string);
    fake.archive("companies", lonely.id);
    fake.archive("companies", companies[0]?.id as string);
    const report = await runSync(store, pack, source());
    expect(report.deleted).toBe(6);
    expect(
      await store.first("SELECT 1 AS x FROM crm_deals WHERE id = ?", [`hs:D-${wonWithLines}`]),
    ).toBeUndefined();
    expect(
      await store.all("SELECT id FROM crm_deal_lines WHERE deal_id = ?", [`hs:D-${wonWithLines}`]),
    ).toEqual([]);
    expect(
      await store.first("SELECT 1 AS x FROM crm_deal_lines WHERE id = ?", [`hs:L-${line?.id}`]),
    ).toBeUndefined();
    expect(
      await store.first("SELECT 1 AS x FROM crm_contacts WHERE id = ?", [`hs:P-${contact?.id}`]),
    ).toBeUndefined();
    expect(
      await store.first("SELECT 1 AS x FROM crm_accounts WHERE id = ?", [`hs:C-${lonely.id}`]),
    ).toBeUndefined();
    // Kept: the worked deal, and the company its deals still name.
    expect(await store.first("SELECT 1 AS x FROM crm_deals WHERE id = ?", [worked])).toEqual({ x: 1 });
    expect(
      await store.first("SELECT 1 AS x FROM crm_accounts WHERE id = ?", [`hs:C-${companies[0]?.id}`]),
    ).toEqual({ x: 1 });
    expect(await count("crm_deals")).toBe(12);
    // Applied once: the next run finds nothing more to remove.
    expect(await runSync(store, pack, source())).toMatchObject({ deleted: 0, inserted: 0, updated: 0 });
  });
});

describe("HubSpot sync: a busy or failing API", () => {
  it("waits what Retry-After asks on 429s, else HubSpot's ten-second window, then carries on", async () => {
    fillPortal();
    fake.fail(1, 429, { headers: { "retry-after": "2" }, match: /GET \/crm\/v3\/objects\/companies/ });
    fake.fail(1, 429, {
      match: /GET \/crm\/v3\/objects\/deals/,
      headers: { "x-hubspot-ratelimit-interval-milliseconds": "10000" },
    });
    const report = await runSync(store, pack, source());
    expect(report.rejected).toBe(0);
    expect(waits).toEqual([2000, 10_000]);
    expect(await count("crm_deals")).toBe(13);
  });

  it("backs off on 5xx and, past the retry bound, fails with source_unavailable recorded for sync_status", async () => {
    fillPortal();
    fake.fail(10, 502, { match: /GET \/crm\/v3\/objects\/companies/ });
    const error = await runSync(
      store,
      pack,
      source({ maxRetries: 3, random: () => 1 - Number.EPSILON }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error.code).toBe("source_unavailable");
    expect(waits).toHaveLength(3);
    expect(waits[1]).toBeGreaterThan(waits[0] as number);
    const status = await syncStatusTool("crm").handler(
      {},
      { store, asOf: "2026-12-02", principal: undefined, signal: new AbortController().signal },
    );
    expect(status.systems[0]?.last_error?.code).toBe("source_unavailable");
    expect(await count("crm_accounts")).toBe(0);
  });

  it("an expired token fails at once, names HUBSPOT_ACCESS_TOKEN and never shows the token", async () => {
    fillPortal();
    fake.expireToken();
    const error = await runSync(store, pack, source()).catch((e) => e);
    expect(error).toMatchObject({ code: "credential_expired", status: 401 });
    expect(error.message).toContain("HUBSPOT_ACCESS_TOKEN");
    expect(error.message).toContain("EXPIRED_AUTHENTICATION");
    expect(error.message).not.toContain(fake.token);
    expect(waits).toEqual([]);
  });

  it("without HUBSPOT_ACCESS_TOKEN the sync source is not even built; a non-http --base-url is refused", () => {
    expect(() => hubspotSync.create({ env: {}, baseUrl: fake.url })).toThrow(
      /HUBSPOT_ACCESS_TOKEN is not set/,
    );
    expect(() => hubspotSync.create({ env: { HUBSPOT_ACCESS_TOKEN: "pat-x" }, baseUrl: "ftp://x" })).toThrow(
      /--base-url must be an http/,
    );
  });
});

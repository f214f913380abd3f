// Imports the fixture exports (test/fixtures, written by make-exports.ts) and checks the pack's
// answers against aggregates computed here straight from the CSV cells, with this file's own
// reading of stages and amounts: nothing below goes through the pack's SQL or its connectors.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  buildIdentityMap,
  type CsvRecord,
  lookupIdentity,
  parseImportMapping,
  readCsv,
  resolveConnector,
  runImport,
  type SourceFile,
  type Store,
} from "@toolpacks/pack-kit";
import { openSeededClient, openTestStore, type SeededClient } from "@toolpacks/pack-kit/testing";
import { type Currency, STAGE_PROBABILITY, toReportingMinor } from "@toolpacks/world";
import { afterEach, describe, expect, it } from "vitest";
import { pack } from "../src/pack.js";

const FIXTURES = join(import.meta.dirname, "fixtures");
const AS_OF = "2025-09-30";
type Stage = keyof typeof STAGE_PROBABILITY;

function fixture(name: string): SourceFile {
  const path = join(FIXTURES, name);
  return { name, text: readFileSync(path, "utf8"), modifiedAt: statSync(path).mtime.toISOString() };
}

/** Cents of a fixture amount ("$1,234.50", "EUR 1,234.5", "1234", ""), by plain string surgery. */
function cents(text: string): number {
  const digits = text.replaceAll(/[^0-9.]/g, "");
  if (digits === "") return 0;
  const [whole = "0", frac = ""] = digits.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0").slice(0, 2));
}

const key = (s: string) => s.toLowerCase().replaceAll(/[^a-z]/g, "");
const HUBSPOT: Record<string, Stage> = {
  appointmentscheduled: "prospecting",
  qualifiedtobuy: "qualification",
  presentationscheduled: "proposal",
  decisionmakerboughtin: "negotiation",
  contractsent: "negotiation",
  closedwon: "closed_won",
  closedlost: "closed_lost",
};
const SALESFORCE: Record<string, Stage> = {
  prospecting: "prospecting",
  qualification: "qualification",
  needsanalysis: "qualification",
  valueproposition: "proposal",
  iddecisionmakers: "proposal",
  perceptionanalysis: "proposal",
  proposalpricequote: "proposal",
  negotiationreview: "negotiation",
  closedwon: "closed_won",
  closedlost: "closed_lost",
};
const PIPEDRIVE_OPEN: Record<string, Stage> = {
  qualified: "qualification",
  contactmade: "qualification",
  demoscheduled: "proposal",
  proposalmade: "proposal",
  negotiationsstarted: "negotiation",
};

interface ExpectedDeal {
  id: string;
  stage: Stage;
  currency: Currency;
  amount: number;
  close: string;
}

/** USD by the one rule every pack states: each currency's total converted once, then added. */
function usdByRule(amounts: Array<{ currency: Currency; minor: number }>): number {
  const perCurrency = new Map<Currency, number>();
  for (const a of amounts) perCurrency.set(a.currency, (perCurrency.get(a.currency) ?? 0) + a.minor);
  return [...perCurrency].reduce((sum, [currency, minor]) => sum + toReportingMinor(minor, currency), 0);
}

function pipeline(deals: ExpectedDeal[]) {
  const open = deals.filter((d) => !d.stage.startsWith("closed_"));
  const native = (list: ExpectedDeal[]) => list.map((d) => ({ currency: d.currency, minor: d.amount }));
  // A currency's weighted total is rounded to the cent before it is converted.
  const weighted = (list: ExpectedDeal[]) =>
    usdByRule(
      [...new Set(list.map((d) => d.currency))].map((currency) => ({
        currency,
        minor: Math.round(
          list
            .filter((d) => d.currency === currency)
            .reduce((s, d) => s + d.amount * STAGE_PROBABILITY[d.stage], 0) / 100,
        ),
      })),
    );
  const byStage = new Map<string, { deals: number; amount_usd_minor: number }>();
  for (const stage of new Set(open.map((d) => d.stage))) {
    const list = open.filter((d) => d.stage === stage);
    byStage.set(stage, { deals: list.length, amount_usd_minor: usdByRule(native(list)) });
  }
  return {
    totals: {
      deals: open.length,
      amount_usd_minor: usdByRule(native(open)),
      weighted_usd_minor: weighted(open),
    },
    byStage,
  };
}

function closedIn(deals: ExpectedDeal[], stage: Stage, from: string, to: string) {
  const hits = deals.filter((d) => d.stage === stage && d.close >= from && d.close <= to);
  const byCurrency = new Map<string, { deals: number; amount_minor: number }>();
  for (const d of hits) {
    const g = byCurrency.get(d.currency) ?? { deals: 0, amount_minor: 0 };
    byCurrency.set(d.currency, { deals: g.deals + 1, amount_minor: g.amount_minor + d.amount });
  }
  return {
    deals: hits.length,
    amount_usd_minor: usdByRule(hits.map((d) => ({ currency: d.currency, minor: d.amount }))),
    by_currency: [...byCurrency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, g]) => ({
        currency,
        ...g,
        amount_usd_minor: toReportingMinor(g.amount_minor, currency as Currency),
      })),
  };
}

/** The fixture's HubSpot deals as the test reads them (good rows only, first occurrence of an id). */
function hubspotDeals(file: string): ExpectedDeal[] {
  const seen = new Set<string>();
  const out: ExpectedDeal[] = [];
  for (const r of readCsv(file, fixture(file).text).records) {
    const c = r.cells;
    if ((c["Deal Name"] ?? "").includes("[bad]") || seen.has(c["Record ID"] ?? "")) continue;
    seen.add(c["Record ID"] ?? "");
    out.push({
      id: `hs:D-${c["Record ID"]}`,
      stage: HUBSPOT[key(c["Deal Stage"] ?? "")] as Stage,
      currency: (c["Currency"] || "USD") as Currency,
      amount: cents(c["Amount"] ?? ""),
      close: (c["Close Date"] ?? "").slice(0, 10),
    });
  }
  return out;
}

function badLines(file: string, column: string): { file: string; line: number }[] {
  return readCsv(file, fixture(file).text)
    .records.filter((r: CsvRecord) => (r.cells[column] ?? "").includes("[bad]"))
    .map((r) => ({ file, line: r.line }));
}

let open: { client?: SeededClient; store: Store }[] = [];
afterEach(async () => {
  for (const o of open) {
    await o.client?.close();
    await o.store.close();
  }
  open = [];
});

// The suite's store: SQLite, or a fresh Postgres database in the crm-postgres project.
async function importInto(format: string, files: string[], into?: Store) {
  const store = into ?? (await openTestStore());
  const connector = pack.connector(format);
  if (!connector) throw new Error(`no connector ${format}`);
  const report = await runImport(store, pack, connector, files.map(fixture), undefined, { asOf: AS_OF });
  return { store, report };
}

async function clientOver(store: Store): Promise<SeededClient> {
  const client = await openSeededClient(pack, { scale: 1000, seed: 1 }, { store });
  open.push({ client, store });
  return client;
}

const QUARTERS = [
  ["2025-Q1", "2025-01-01", "2025-03-31"],
  ["2025-Q2", "2025-04-01", "2025-06-30"],
  ["2025-Q3", "2025-07-01", "2025-09-30"],
  ["2025-Q4", "2025-10-01", "2025-12-31"],
] as const;

async function checkAnswers(client: SeededClient, deals: ExpectedDeal[]) {
  const expected = pipeline(deals);
  const summary = await client.ask<any>("pipeline_summary", {});
  expect(summary.as_of).toBe(AS_OF);
  expect(summary.totals).toEqual(expected.totals);
  for (const group of summary.groups) {
    expect({ deals: group.deals, amount_usd_minor: group.amount_usd_minor }).toEqual(
      expected.byStage.get(group.key),
    );
  }
  expect(summary.groups).toHaveLength(expected.byStage.size);
  for (const [period, from, to] of QUARTERS) {
    for (const [outcome, stage] of [
      ["won", "closed_won"],
      ["lost", "closed_lost"],
    ] as const) {
      const closed = await client.ask<any>("deals_closed", { period, outcome, limit: 1 });
      expect(closed.totals, `${period} ${outcome}`).toEqual(closedIn(deals, stage, from, to));
    }
  }
}

describe("import hubspot", () => {
  it("loads deals, companies and line items, rejects exactly the bad rows, and answers match the CSV", async () => {
    const { store, report } = await importInto("hubspot", [
      "hubspot-companies.csv",
      "hubspot-deals.csv",
      "hubspot-line-items.csv",
    ]);
    const expectedBad = [
      ...badLines("hubspot-deals.csv", "Deal Name"),
      ...badLines("hubspot-line-items.csv", "Name"),
    ];
    expect(report.rejections.map(({ file, line }) => ({ file, line }))).toEqual(expectedBad);
    expect(report.rejections.map((r) => [r.column, r.reason.slice(0, 40)])).toEqual([
      ["Deal Stage", 'unknown deal stage "Verbal Commit" for h'],
      ["Amount", '"12.345.67" is not an amount: it has mor'],
      ["Close Date", "Close Date is blank; every deal needs on"],
      ["Currency", 'currency "JPY" is not one the CRM report'],
      ["Close Date", '"2025-02-30" is not a date: day 30 is no'],
      [undefined, "source id 20000039 appears again (first "],
      ["Associated Deal IDs", "refers to crm_deals hs:D-29999999, which"],
      ["Quantity", 'quantity "1.5" is not a whole number of '],
    ]);
    const deals = hubspotDeals("hubspot-deals.csv");
    expect(report.tables.find((t) => t.table === "crm_deals")?.inserted).toBe(deals.length);
    const client = await clientOver(store);
    await checkAnswers(client, deals);

    // Line items: every won deal's lines as exported.
    const lines = readCsv("l", fixture("hubspot-line-items.csv").text).records.filter(
      (r) => !(r.cells["Name"] ?? "").includes("[bad]"),
    );
    const won = deals.filter((d) => d.stage === "closed_won");
    for (const deal of won.slice(0, 15)) {
      const answer = await client.ask<any>("get_deal", { deal_id: deal.id });
      const mine = lines.filter((l) => `hs:D-${l.cells["Associated Deal IDs"]}` === deal.id);
      expect(
        answer.lines.map((l: { sku: string; quantity: number; net_unit_price_minor: number }) => [
          l.sku,
          l.quantity,
          l.net_unit_price_minor,
        ]),
      ).toEqual(
        mine.map((l) => [l.cells["SKU"], Number(l.cells["Quantity"]), cents(l.cells["Unit price"] ?? "")]),
      );
    }
    // Companies: names and domains from the companies export, not the deals' stubs.
    const company = readCsv("c", fixture("hubspot-companies.csv").text).records[0]?.cells ?? {};
    expect(
      await store.first("SELECT name, domain, source_system, source_id FROM crm_accounts WHERE id = ?", [
        `hs:C-${company["Record ID"]}`,
      ]),
    ).toEqual({
      name: company["Company name"],
      domain: company["Company Domain Name"] || null,
      source_system: "hubspot",
      source_id: company["Record ID"],
    });
  });

  it("re-importing changes nothing; a newer export updates what changed; a dry run writes nothing", async () => {
    const files = ["hubspot-companies.csv", "hubspot-deals.csv", "hubspot-line-items.csv"];
    const { store } = await importInto("hubspot", files);
    const snapshot = async () => store.all("SELECT * FROM crm_deals ORDER BY id");
    const before = await snapshot();
    const again = await importInto("hubspot", files, store);
    expect(again.report).toMatchObject({ inserted: 0, updated: 0 });
    expect(await snapshot()).toEqual(before);

    const dry = await runImport(
      store,
      pack,
      pack.connector("hubspot") as never,
      [fixture("hubspot-deals-newer.csv")],
      undefined,
      { asOf: "2025-10-15", dryRun: true },
    );
    expect(await snapshot()).toEqual(before);
    const { report } = await importInto("hubspot", ["hubspot-deals-newer.csv"], store);
    expect({ inserted: dry.inserted, updated: dry.updated, unchanged: dry.unchanged }).toEqual({
      inserted: report.inserted,
      updated: report.updated,
      unchanged: report.unchanged,
    });
    const deals = report.tables.find((t) => t.table === "crm_deals");
    expect(deals).toMatchObject({ inserted: 1, updated: 3 });
    expect(deals?.changes.map((c) => c.columns).sort()).toEqual([
      ["amount_minor", "amount_usd_minor"],
      ["stage", "stage_changed_on"],
      ["stage", "stage_changed_on"],
    ]);
    const client = await clientOver(store);
    await checkAnswers(client, hubspotDeals("hubspot-deals-newer.csv"));
  });
});

describe("a newer HubSpot export without some deals (deleted in HubSpot)", () => {
  /** `file`'s text without the records `drop` picks (whole physical lines; multi-line records stay). */
  function without(file: string, drop: (cells: Record<string, string>) => boolean): SourceFile {
    const source = fixture(file);
    const lines = source.text.split(/\r?\n/);
    const records = readCsv(file, source.text).records;
    const gone = new Set<number>();
    records.forEach((r, i) => {
      const next = records[i + 1]?.line ?? lines.length;
      if (next === r.line + 1 && drop(r.cells as Record<string, string>)) gone.add(r.line);
    });
    return { ...source, text: lines.filter((_, i) => !gone.has(i + 1)).join("\n") };
  }

  it("removes those deals and their lines, reports them, and the answers match the newer files", async () => {
    const files = ["hubspot-companies.csv", "hubspot-deals.csv", "hubspot-line-items.csv"];
    const { store } = await importInto("hubspot", files);
    const dealsWithLines = new Set(
      readCsv("l", fixture("hubspot-line-items.csv").text).records.map((r) => r.cells["Associated Deal IDs"]),
    );
    // Every 25th good deal, with or without lines.
    const goodIds = hubspotDeals("hubspot-deals.csv").map((d) => d.id.slice("hs:D-".length));
    const dropped = new Set(goodIds.filter((_, i) => i % 25 === 3));
    expect([...dropped].some((id) => dealsWithLines.has(id))).toBe(true);
    const deals = without("hubspot-deals.csv", (c) => dropped.has(c["Record ID"] ?? ""));
    // A record spanning lines stays in the file (and in the store).
    const left = new Set(readCsv("d", deals.text).records.map((r) => r.cells["Record ID"]));
    for (const id of dropped) if (left.has(id)) dropped.delete(id);
    const lines = without("hubspot-line-items.csv", (c) => dropped.has(c["Associated Deal IDs"] ?? ""));
    const linesGone = (
      await store.all<{ n: number }>(
        `SELECT COUNT(*) AS n FROM crm_deal_lines WHERE deal_id IN (${[...dropped].map(() => "?").join(", ")})`,
        [...dropped].map((id) => `hs:D-${id}`),
      )
    )[0]?.n;
    const dry = await runImport(store, pack, pack.connector("hubspot") as never, [deals, lines], undefined, {
      asOf: AS_OF,
      dryRun: true,
    });
    const report = await runImport(
      store,
      pack,
      pack.connector("hubspot") as never,
      [deals, lines],
      undefined,
      {
        asOf: AS_OF,
      },
    );
    for (const r of [dry, report]) {
      expect(r.tables.find((t) => t.table === "crm_deals")?.removed).toBe(dropped.size);
      expect(r.tables.find((t) => t.table === "crm_deal_lines")?.removed).toBe(linesGone);
      expect(r.kept).toEqual([]);
    }
    expect(
      await store.first(
        `SELECT COUNT(*) AS n FROM crm_deals WHERE source_id IN (${[...dropped].map(() => "?").join(", ")})`,
        [...dropped],
      ),
    ).toEqual({ n: 0 });
    const kept = new Set([...goodIds].filter((id) => !dropped.has(id)).map((id) => `hs:D-${id}`));
    const client = await clientOver(store);
    await checkAnswers(
      client,
      hubspotDeals("hubspot-deals.csv").filter((d) => kept.has(d.id)),
    );
  });
});

describe("import salesforce", () => {
  it("reads an Opportunities report (footer skipped), rejects the bad row, answers match the CSV", async () => {
    const { store, report } = await importInto("salesforce", ["salesforce-opportunities.csv"]);
    expect(report.rejections.map(({ file, line, column }) => ({ file, line, column }))).toEqual(
      badLines("salesforce-opportunities.csv", "Opportunity Name").map((b) => ({ ...b, column: "Stage" })),
    );
    const deals: ExpectedDeal[] = readCsv("s", fixture("salesforce-opportunities.csv").text)
      .records.filter(
        (r) =>
          (r.cells["Opportunity Name"] ?? "") !== "" &&
          !(r.cells["Opportunity Name"] ?? "").includes("[bad]"),
      )
      .map((r) => {
        const [m, d, y] = (r.cells["Close Date"] ?? "").split("/");
        return {
          id: `sf:D-${r.cells["Opportunity ID"]}`,
          stage: SALESFORCE[key(r.cells["Stage"] ?? "")] as Stage,
          currency: r.cells["Opportunity Currency"] as Currency,
          amount: cents(r.cells["Amount"] ?? ""),
          close: `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`,
        };
      });
    expect(report.tables.find((t) => t.table === "crm_deals")?.inserted).toBe(deals.length);
    await checkAnswers(await clientOver(store), deals);
  });
});

describe("import pipedrive", () => {
  it("reads a deals export (status decides won/lost), rejects the bad row, answers match the CSV", async () => {
    const { store, report } = await importInto("pipedrive", ["pipedrive-deals.csv"]);
    expect(report.rejections.map(({ file, line, column }) => ({ file, line, column }))).toEqual(
      badLines("pipedrive-deals.csv", "Deal - Title").map((b) => ({ ...b, column: "Deal - Status" })),
    );
    const deals: ExpectedDeal[] = readCsv("p", fixture("pipedrive-deals.csv").text)
      .records.filter((r) => !(r.cells["Deal - Title"] ?? "").includes("[bad]"))
      .map((r) => {
        const status = r.cells["Deal - Status"];
        const stage: Stage =
          status === "Won"
            ? "closed_won"
            : status === "Lost"
              ? "closed_lost"
              : (PIPEDRIVE_OPEN[key(r.cells["Deal - Stage"] ?? "")] as Stage);
        const close =
          status === "Won"
            ? r.cells["Deal - Won time"]
            : status === "Lost"
              ? r.cells["Deal - Lost time"]
              : r.cells["Deal - Expected close date"];
        return {
          id: `pd:D-${r.cells["Deal - ID"]}`,
          stage,
          currency: r.cells["Deal - Currency"] as Currency,
          amount: cents(r.cells["Deal - Value"] ?? ""),
          close: (close ?? "").slice(0, 10),
        };
      });
    await checkAnswers(await clientOver(store), deals);
  });
});

describe("every read tool on imported data", () => {
  it("answers or refuses with a tool error, never an internal error or an answer off its schema", async () => {
    const { store } = await importInto("hubspot", [
      "hubspot-companies.csv",
      "hubspot-deals.csv",
      "hubspot-line-items.csv",
    ]);
    const client = await clientOver(store);
    const deal = hubspotDeals("hubspot-deals.csv")[0]?.id as string;
    const account = (await store.first<{ id: string }>("SELECT id FROM crm_accounts ORDER BY id LIMIT 1"))
      ?.id as string;
    const owner = (await store.first<{ id: string }>("SELECT id FROM crm_owners ORDER BY id LIMIT 1"))
      ?.id as string;
    const calls: [string, Record<string, unknown>][] = [
      ...pack.tools
        .filter((t) => t.kind === "read")
        .flatMap((t) => (t.examples ?? []).map((e) => [t.name, e] as [string, Record<string, unknown>])),
      ["get_deal", { deal_id: deal }],
      ["account_health", { account_id: account }],
      ["search_companies", { query: "acme" }],
      ["owner_leaderboard", {}],
      ["forecast_vs_target", { group_by: "owner" }],
      ["stale_deals", {}],
      ["pipeline_summary", { group_by: "owner", owner_id: owner }],
      ["pipeline_summary", { group_by: "team" }],
    ];
    for (const [tool, args] of calls) {
      const outcome = await client.call(tool, args);
      expect(outcome.code, `${tool} ${JSON.stringify(args)}: ${outcome.text.slice(0, 200)}`).not.toBe(
        "internal_error",
      );
      if (outcome.isError) expect(outcome.code, `${tool} ${JSON.stringify(args)}`).toBe("not_found");
    }
  });
});

describe("the CRM in the identity map", () => {
  it("offers imported companies by domain, so another system's customers tie to them", async () => {
    const { store } = await importInto("hubspot", ["hubspot-companies.csv", "hubspot-deals.csv"]);
    const companies = readCsv("c", fixture("hubspot-companies.csv").text).records.map((r) => r.cells);
    const withDomain = companies.filter((c) => c["Company Domain Name"]);
    // A billing system that knows the first ten companies by their accounts-payable email.
    await store.run("CREATE TABLE other_customers (id TEXT PRIMARY KEY, name TEXT, email TEXT)");
    for (const [i, c] of withDomain.slice(0, 10).entries()) {
      await store.run("INSERT INTO other_customers VALUES (?, ?, ?)", [
        `cus_${i}`,
        c["Company name"] ?? "",
        `ap@${c["Company Domain Name"]}`,
      ]);
    }
    const other = {
      name: "other",
      identity: [{ entity: "customer", sql: "SELECT id, name, email AS domain FROM other_customers" }],
    };
    const match = await buildIdentityMap(store, [pack, other], { entity: "customer", keys: ["domain"] });
    expect(match.rates.find((r) => r.system === "other")).toMatchObject({ records: 10, matched: 10 });
    expect(await lookupIdentity(store, "customer", { system: "other", id: "cus_3" }, "crm")).toEqual([
      `hs:C-${withDomain[3]?.["Record ID"]}`,
    ]);
    await store.close();
  });
});

describe("import csv/json with a mapping file", () => {
  it("fills owners, accounts and deals of the CRM from any system; the pack derives USD and refuses what it cannot hold", async () => {
    const dir = join(FIXTURES, "generic");
    const read = (name: string): SourceFile => ({ name, text: readFileSync(join(dir, name), "utf8") });
    const mapping = parseImportMapping("mapping.json", readFileSync(join(dir, "mapping.json"), "utf8"));
    const store = await openTestStore();
    const csv = await runImport(
      store,
      pack,
      resolveConnector(pack, "csv", mapping),
      [read("reps.csv"), read("accounts.csv")],
      mapping,
      { asOf: AS_OF },
    );
    expect(csv.rejections).toEqual([
      {
        file: "accounts.csv",
        line: 4,
        column: "Size",
        reason: 'unknown value "XL"; known: S, M, L. Add it to "values" in the mapping file.',
      },
    ]);
    const json = await runImport(
      store,
      pack,
      resolveConnector(pack, "json", mapping),
      [read("deals.json")],
      mapping,
      { asOf: AS_OF },
    );
    expect(json.rejections.map((r) => [r.line, r.column, r.reason.slice(0, 48)])).toEqual([
      [4, "$.account.no", "refers to crm_accounts lc:C-300, which is neithe"],
      [5, "$.status", 'unknown value "On hold"; known: New, Qualified, '],
    ]);
    expect(
      await store.all(
        "SELECT id, account_id, stage, amount_minor, currency, amount_usd_minor, close_date FROM crm_deals ORDER BY id",
      ),
    ).toEqual([
      {
        id: "lc:D-1",
        account_id: "lc:C-100",
        stage: "closed_won",
        amount_minor: 1_250_000,
        currency: "USD",
        amount_usd_minor: 1_250_000,
        close_date: "2025-03-31",
      },
      {
        id: "lc:D-2",
        account_id: "lc:C-100",
        stage: "proposal",
        amount_minor: 400_050,
        currency: "USD",
        amount_usd_minor: 400_050,
        close_date: "2025-08-15",
      },
      {
        id: "lc:D-3",
        account_id: "lc:C-200",
        stage: "qualification",
        amount_minor: 123_450,
        currency: "EUR",
        amount_usd_minor: toReportingMinor(123_450, "EUR"),
        close_date: "2025-09-01",
      },
    ]);
    expect(
      await store.first(
        "SELECT name, employees, segment, created_on, owner_id FROM crm_accounts WHERE id = 'lc:C-100'",
      ),
    ).toEqual({
      name: "Acme, Inc.",
      employees: 1200,
      segment: "mid_market",
      created_on: "2021-04-03",
      owner_id: "lc:U-r1",
    });
    const client = await clientOver(store);
    const byTeam = await client.ask<any>("pipeline_summary", { group_by: "team" });
    expect(byTeam.groups.map((g: { key: string; deals: number }) => [g.key, g.deals])).toEqual([
      ["NA", 1],
      ["EMEA", 1],
    ]);
  });
});

import { readFileSync } from "node:fs";
import {
  type ImportReport,
  importMappingSchema,
  readCsv,
  runImport,
  type SourceFile,
  type Store,
  writeCsv,
} from "@toolpacks/pack-kit";
import {
  openSeededClient,
  openTestStore,
  type SeededClient,
  snapshotStore,
} from "@toolpacks/pack-kit/testing";
import { toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "../../pack.js";
import { TEST_WORLD } from "../../testing/billing-fixture.js";
import {
  expectedAging,
  expectedMrr,
  expectedNewMrr,
  expectedRevenue,
  importedInvoices,
  importedPayments,
} from "./expected.js";
import { stripeFixture } from "./fixtures/generate.js";
import { stripeConnector } from "./index.js";

const AS_OF = "2026-11-30";
const NAMES = ["unified_customers.csv", "invoices.csv", "subscriptions.csv", "unified_payments.csv"];

/** The committed export files, byte for byte, as the CLI would read them. */
function exportFiles(names = NAMES): SourceFile[] {
  return names.map((name) => ({
    name,
    text: readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"),
  }));
}

const fixture = stripeFixture();
const usd = (byCurrency: Map<string, number>) =>
  [...byCurrency].reduce((sum, [c, minor]) => sum + toReportingMinor(minor, c as "USD"), 0);

describe("stripe import: answers on imported data equal aggregates of the export rows", () => {
  let store: Store;
  let billing: SeededClient;
  let report: ImportReport;

  beforeAll(async () => {
    store = await openTestStore();
    report = await runImport(store, pack, stripeConnector, exportFiles(), undefined, { asOf: AS_OF });
    billing = await openSeededClient(pack, TEST_WORLD, { store });
  });
  afterAll(async () => {
    await billing?.close();
    await store?.close();
  });

  it("loads every customer, receivable invoice, subscription and collected payment, rejecting none", () => {
    expect(report.rejections).toEqual([]);
    const inserted = Object.fromEntries(report.tables.map((t) => [t.table, t.inserted]));
    expect(inserted.billing_accounts).toBe(fixture.customers.length);
    expect(inserted.billing_invoices).toBe(importedInvoices(fixture).length);
    expect(inserted.billing_subscriptions).toBe(
      fixture.subscriptions.filter((s) => s.status !== "incomplete_expired").length,
    );
    expect(inserted.billing_payments).toBe(importedPayments(fixture).length);
  });

  it("answers as of the import's date, not the generated world's", async () => {
    const aging = await billing.ask<{ as_of: string }>("ar_aging");
    expect(aging.as_of).toBe(AS_OF);
  });

  it("ar_aging: open amounts per currency and bucket, invoice and account counts", async () => {
    const want = expectedAging(fixture, AS_OF);
    const got = await billing.ask<{
      total: { invoices: number; accounts: number };
      by_currency: Array<{ currency: string; buckets: Record<string, number> }>;
    }>("ar_aging");
    expect(got.total.invoices).toBe(want.invoices);
    expect(got.total.accounts).toBe(want.accounts);
    expect(Object.fromEntries(got.by_currency.map((c) => [c.currency, c.buckets]))).toEqual(
      Object.fromEntries(want.byCurrency),
    );
  });

  it("mrr_summary: opening and closing MRR and new MRR per currency", async () => {
    const got = await billing.ask<{
      closing_mrr_usd_minor: number;
      by_currency: Array<{
        currency: string;
        opening_mrr_minor: number;
        closing_mrr_minor: number;
        new_minor: number;
      }>;
    }>("mrr_summary", { period: "2026-Q3" });
    const closing = expectedMrr(fixture, "2026-09-30");
    const opening = expectedMrr(fixture, "2026-06-30");
    const fresh = expectedNewMrr(fixture, "2026-07-01", "2026-09-30");
    for (const row of got.by_currency) {
      expect(row.closing_mrr_minor, row.currency).toBe(closing.get(row.currency as "USD") ?? 0);
      expect(row.opening_mrr_minor, row.currency).toBe(opening.get(row.currency as "USD") ?? 0);
      expect(row.new_minor, row.currency).toBe(fresh.get(row.currency as "USD") ?? 0);
    }
    expect(got.closing_mrr_usd_minor).toBe(usd(closing));
  });

  it("revenue_by_period: invoiced and collected per currency over 23 months", async () => {
    const want = expectedRevenue(fixture, "2025-01", "2026-11");
    const got = await billing.ask<{
      by_currency: Array<{ currency: string; invoiced_minor: number; collected_minor: number }>;
    }>("revenue_by_period", { from: "2025-01", to: "2026-11" });
    expect(Object.fromEntries(got.by_currency.map((c) => [c.currency, c.invoiced_minor]))).toEqual(
      Object.fromEntries(want.invoiced),
    );
    expect(Object.fromEntries(got.by_currency.map((c) => [c.currency, c.collected_minor]))).toEqual(
      Object.fromEntries(want.collected),
    );
  });

  it("importing the same exports again changes nothing", async () => {
    // Only the provenance's last-import time may move.
    const settle = () => store.run("UPDATE _provenance SET last_import_at = 'x'");
    await settle();
    const before = await snapshotStore(store);
    const again = await runImport(store, pack, stripeConnector, exportFiles(), undefined, { asOf: AS_OF });
    expect(again.inserted + again.updated + again.rejected).toBe(0);
    expect(again.unchanged).toBe(report.inserted);
    await settle();
    expect(await snapshotStore(store)).toBe(before);
  });
});

describe("stripe import: newer exports, dry runs and rejected rows", () => {
  it("a newer export updates exactly the rows that changed and says which columns", async () => {
    const store = await openTestStore();
    try {
      const files = exportFiles(["invoices.csv"]);
      await runImport(store, pack, stripeConnector, files, undefined, { asOf: AS_OF });
      const open = fixture.invoices.find((i) => i.status === "open" && i.paid === 0 && i.total > 0);
      if (!open) throw new Error("the fixture has no unpaid open invoice");
      // The customer paid it: the next export says paid, with the amount and the day.
      const table = readCsv("invoices.csv", (files[0] as SourceFile).text);
      const rows = table.records.map((r) => {
        const cells = { ...r.cells };
        if (cells.id === open.id) {
          Object.assign(cells, {
            Status: "paid",
            "Amount Paid": cells["Amount Due"],
            "Paid At (UTC)": "2026-11-29 10:00:00",
          });
        }
        return table.headers.map((h) => cells[h] ?? "");
      });
      const newer = writeCsv(table.headers, rows);
      const report = await runImport(
        store,
        pack,
        stripeConnector,
        [{ name: "invoices.csv", text: newer }],
        undefined,
        {
          asOf: AS_OF,
        },
      );
      const invoices = report.tables.find((t) => t.table === "billing_invoices");
      expect(invoices?.updated).toBe(1);
      expect(invoices?.changes[0]?.id).toBe(open.id);
      expect(invoices?.changes[0]?.columns).toEqual(
        expect.arrayContaining(["amount_paid_minor", "settled_on"]),
      );
      const aging = await store.first<{ n: number }>(
        "SELECT COUNT(*) AS n FROM billing_invoices WHERE id = ? AND settled_on = '2026-11-29'",
        [open.id],
      );
      expect(aging?.n).toBe(1);
    } finally {
      await store.close();
    }
  });

  it("a newer subscriptions export without some subscriptions removes them and the MRR they moved", async () => {
    const store = await openTestStore();
    try {
      await runImport(store, pack, stripeConnector, exportFiles(), undefined, { asOf: AS_OF });
      const [subscriptions] = exportFiles(["subscriptions.csv"]);
      const table = readCsv("subscriptions.csv", (subscriptions as SourceFile).text);
      const moved = await store.all<{ id: string }>(
        "SELECT DISTINCT subscription_id AS id FROM billing_mrr_events ORDER BY subscription_id LIMIT 3",
      );
      const gone = new Set(moved.map((m) => m.id));
      expect(gone.size).toBe(3);
      const newer = writeCsv(
        table.headers,
        table.records
          .filter((r) => !gone.has(r.cells.id ?? ""))
          .map((r) => table.headers.map((h) => r.cells[h] ?? "")),
      );
      const report = await runImport(
        store,
        pack,
        stripeConnector,
        [{ name: "subscriptions.csv", text: newer }],
        undefined,
        { asOf: AS_OF },
      );
      const subs = report.tables.find((t) => t.table === "billing_subscriptions");
      expect(subs).toMatchObject({ removed: 3, removedIds: [...gone].sort() });
      expect(report.kept).toEqual([]);
      const left = await store.first<{ subs: number; events: number }>(
        `SELECT (SELECT COUNT(*) FROM billing_subscriptions WHERE id IN (?, ?, ?)) AS subs,
          (SELECT COUNT(*) FROM billing_mrr_events WHERE subscription_id IN (?, ?, ?)) AS events`,
        [...gone, ...gone],
      );
      expect(left).toEqual({ subs: 0, events: 0 });
    } finally {
      await store.close();
    }
  });

  it("--dry-run reports what would load and writes nothing", async () => {
    const store = await openTestStore();
    try {
      const dry = await runImport(store, pack, stripeConnector, exportFiles(), undefined, {
        asOf: AS_OF,
        dryRun: true,
      });
      expect(dry.dryRun).toBe(true);
      expect(dry.inserted).toBeGreaterThan(1000);
      for (const table of [
        "billing_accounts",
        "billing_invoices",
        "billing_payments",
        "billing_mrr_events",
        "billing_revenue_monthly",
      ]) {
        const row = await store.first<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
        expect(row?.n, table).toBe(0);
      }
      const real = await runImport(store, pack, stripeConnector, exportFiles(), undefined, { asOf: AS_OF });
      expect(real.inserted).toBe(dry.inserted);
    } finally {
      await store.close();
    }
  });

  it("rejects bad rows with file, line, column and reason, and loads the rest", async () => {
    const header = "id,Customer,Status,Currency,Amount Due,Amount Paid,Date (UTC),Due Date (UTC)\n";
    const text =
      header +
      'in_ok1,cus_A,open,usd,"1,234.50",0.00,2026-11-01 10:00:00,2026-12-01\n' +
      "in_jpy,cus_A,open,jpy,¥12000,0,2026-11-01 10:00:00,\n" +
      'in_bad,cus_A,open,usd,"12,34.5",0.00,2026-11-01 10:00:00,\n' +
      "in_odd,cus_A,pending_review,usd,10.00,0.00,2026-11-01 10:00:00,\n" +
      "in_date,cus_A,open,usd,10.00,0.00,2026-02-30,\n" +
      "in_over,cus_A,open,usd,10.00,11.00,2026-11-01,\n";
    const store = await openTestStore();
    try {
      const report = await runImport(store, pack, stripeConnector, [{ name: "bad.csv", text }], undefined, {
        asOf: AS_OF,
      });
      const by = Object.fromEntries(report.rejections.map((r) => [r.line, r]));
      expect(report.rejected).toBe(5);
      expect(by[3]).toMatchObject({ file: "bad.csv", column: "Currency" });
      expect(by[3]?.reason).toMatch(/JPY.*USD, EUR, GBP/);
      expect(by[4]).toMatchObject({ column: "Amount Due" });
      expect(by[5]).toMatchObject({ column: "Status" });
      expect(by[5]?.reason).toMatch(/uncollectible/);
      expect(by[6]).toMatchObject({ column: "Date (UTC)" });
      expect(by[7]).toMatchObject({ column: "Amount Paid" });
      const loaded = await store.all<{ id: string; amount_minor: number }>(
        "SELECT id, amount_minor FROM billing_invoices",
      );
      expect(loaded).toEqual([{ id: "in_ok1", amount_minor: 123_450 }]);
    } finally {
      await store.close();
    }
  });

  it("a mapping file overrides a status default (uncollectible left out of AR)", async () => {
    const text =
      "id,Customer,Status,Currency,Amount Due,Amount Paid,Date (UTC)\n" +
      "in_1,cus_A,uncollectible,eur,€50.00,0,2026-10-01\n" +
      "in_2,cus_A,open,eur,€20.00,0,2026-10-01\n";
    const store = await openTestStore();
    try {
      await runImport(
        store,
        pack,
        stripeConnector,
        [{ name: "i.csv", text }],
        importMappingSchema.parse({ values: { invoice_status: { uncollectible: "void" } } }),
        { asOf: AS_OF },
      );
      const ids = await store.all<{ id: string }>("SELECT id FROM billing_invoices ORDER BY id");
      expect(ids).toEqual([{ id: "in_2" }]);
    } finally {
      await store.close();
    }
  });

  it("refuses a file that is no Stripe export, naming the columns each export needs", async () => {
    const store = await openTestStore();
    try {
      await expect(
        runImport(
          store,
          pack,
          stripeConnector,
          [{ name: "deals.csv", text: "Deal Name,Amount\nx,1\n" }],
          undefined,
          {},
        ),
      ).rejects.toMatchObject({ code: "unknown_export" });
    } finally {
      await store.close();
    }
  });
});

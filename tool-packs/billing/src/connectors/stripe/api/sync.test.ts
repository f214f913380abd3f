import {
  type RetryOptions,
  readCursors,
  runSync,
  type Store,
  SyncError,
  syncStatusTool,
} from "@toolpacks/pack-kit";
import { openTestStore } from "@toolpacks/pack-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeStripe, startFakeStripe } from "../../../testing/fake-stripe.js";
import { createStripeClient } from "./client.js";
import { stripeSource } from "./source.js";
import { stripeSync } from "./spec.js";

let fake: FakeStripe;
let store: Store;
let waits: number[];

beforeEach(async () => {
  fake = await startFakeStripe();
  store = await openTestStore();
  waits = [];
});
afterEach(async () => {
  await fake.close();
  await store.close();
});

/** A source over the fake; retries wait nothing but record what they would have waited. */
function source(retry: RetryOptions = {}, pageSize = 5) {
  const stripe = createStripeClient({
    apiKey: fake.key,
    baseUrl: fake.url,
    retry: { sleep: async (ms) => void waits.push(ms), ...retry },
  });
  return stripeSource(stripe, { pageSize });
}

/** A small Stripe account: 12 customers, a subscription each, invoices open/paid/draft/void, payments. */
function fillAccount() {
  const customers = Array.from({ length: 12 }, (_, i) =>
    fake.addCustomer({ name: `Customer ${i}`, currency: i % 3 === 0 ? "eur" : "usd" }),
  );
  for (const [i, c] of customers.entries()) {
    const sub = fake.addSubscription(c.id, {
      amount: 1000 + i,
      quantity: 1 + (i % 2),
      interval: i % 4 === 0 ? "year" : "month",
      currency: c.currency ?? "usd",
      ...(i === 5 ? { status: "canceled" as const } : {}),
    });
    const open = fake.addInvoice(c.id, {
      amount: 5000 + i,
      currency: c.currency ?? "usd",
      subscription: sub.id,
    });
    fake.addInvoice(c.id, { amount: 700, status: "paid", currency: c.currency ?? "usd" });
    if (i % 4 === 1) fake.addInvoice(c.id, { amount: 900, status: "draft", currency: c.currency ?? "usd" });
    if (i % 3 === 2) fake.addPayment(open.id, 1000);
  }
  return customers;
}

const count = async (table: string) =>
  Number((await store.first<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n);

async function snapshot() {
  const out: Record<string, unknown[]> = {};
  for (const table of [
    "billing_accounts",
    "billing_plans",
    "billing_subscriptions",
    "billing_invoices",
    "billing_payments",
  ]) {
    out[table] = await store.all(`SELECT * FROM ${table} ORDER BY id`);
  }
  return out;
}

describe("Stripe sync: first load", () => {
  it("pages through every list and lands each object once, with the fake's own totals", async () => {
    fillAccount();
    const report = await runSync(store, pack, source());
    expect(report.rejected).toBe(0);
    expect(await count("billing_accounts")).toBe(12);
    expect(await count("billing_subscriptions")).toBe(12);
    expect(await count("billing_plans")).toBe(12);
    // Drafts are not receivables; open and paid invoices are.
    const expected = [...fake.invoices.values()].filter((i) => i.status !== "draft");
    expect(await count("billing_invoices")).toBe(expected.length);
    expect(await count("billing_payments")).toBe(4);
    const open = await store.first<{ open: number }>(
      "SELECT SUM(amount_minor - amount_paid_minor - amount_credited_minor) AS open FROM billing_invoices",
    );
    expect(open?.open).toBe(expected.reduce((n, i) => n + i.amount_remaining, 0));
    // Pages of 5: the client followed has_more / starting_after through every list.
    // The first load notes the newest event and reads none of the history before it.
    expect(fake.requests.filter((r) => r.path.startsWith("/v1/events")).map((r) => r.query)).toEqual([
      "?limit=1",
      expect.stringContaining("ending_before=evt_"),
    ]);
    expect(fake.requests.some((r) => r.path.startsWith("/v1/invoice_payments/"))).toBe(false);
    const customerPages = fake.requests.filter((r) => r.path === "/v1/customers");
    expect(customerPages.length).toBe(3);
    expect(customerPages[1]?.query).toContain("starting_after=");
    const cancelled = await store.first(
      "SELECT status, cancelled_on FROM billing_subscriptions WHERE status = 'cancelled'",
    );
    expect(cancelled).toMatchObject({ status: "cancelled" });
    const yearly = await store.first<{ price_minor: number }>(
      "SELECT price_minor FROM billing_subscriptions WHERE id = (SELECT id FROM billing_subscriptions ORDER BY id LIMIT 1)",
    );
    expect(yearly?.price_minor).toBe(Math.round(1000 / 12));
  });

  it("a crash mid-sync resumes from the committed pages: same rows as an uninterrupted sync", async () => {
    fillAccount();
    // The second invoices page fails for good (no retries): the first one is committed.
    fake.fail(1, 500, { match: /GET \/v1\/invoices$/, skip: 1 });
    await expect(runSync(store, pack, source({ maxRetries: 0 }))).rejects.toMatchObject({
      code: "source_unavailable",
    });
    const cursors = await readCursors(store, "billing", "stripe");
    expect(cursors.get("customers")).toBe("done");
    expect(cursors.get("invoices")).toMatch(/^in_/);
    // One page of 5 invoices (drafts among them are left out) is in; the rest is not.
    const committed = await count("billing_invoices");
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThanOrEqual(5);
    // Something changes in Stripe before the resume: it arrives through the events.
    const late = fake.addCustomer({ name: "Late Ltd" });
    await runSync(store, pack, source());
    const resumed = await snapshot();
    expect(resumed["billing_accounts"]?.some((a) => (a as { id: string }).id === late.id)).toBe(true);
    // A clean sync of the same account gives exactly the same rows.
    const clean = await openTestStore();
    await runSync(clean, pack, source());
    for (const table of Object.keys(resumed)) {
      expect(resumed[table]).toEqual(await clean.all(`SELECT * FROM ${table} ORDER BY id`));
    }
    await clean.close();
  });
});

describe("Stripe sync: increments", () => {
  it("reads only the events after the saved one, oldest first, and applies them", async () => {
    const [first] = fillAccount();
    await runSync(store, pack, source());
    const before = fake.requests.length;
    const added = fake.addCustomer({ name: "New Co" });
    const invoice = fake.addInvoice(added.id, { amount: 12_345 });
    fake.addPayment(invoice.id, 12_345);
    fake.updateCustomer(first?.id as string, { name: "Renamed Inc" });
    const report = await runSync(store, pack, source());
    const requests = fake.requests.slice(before);
    expect(
      requests.every((r) => r.path.startsWith("/v1/events") || r.path.startsWith("/v1/invoice_payments/")),
    ).toBe(true);
    expect(requests[0]?.query).toContain("ending_before=");
    expect(report.inserted).toBe(3);
    expect(
      await store.first("SELECT name FROM billing_accounts WHERE id = ?", [first?.id as string]),
    ).toEqual({
      name: "Renamed Inc",
    });
    // The invoice was created open, then paid: the later event wins.
    expect(
      await store.first(
        "SELECT amount_paid_minor, settled_on IS NOT NULL AS settled FROM billing_invoices WHERE id = ?",
        [invoice.id],
      ),
    ).toEqual({ amount_paid_minor: 12_345, settled: 1 });
    // Nothing new: nothing pulled, nothing changed.
    expect(await runSync(store, pack, source())).toMatchObject({ inserted: 0, updated: 0, pages: 0 });
  });

  it("an event cursor Stripe no longer holds is cursor_expired, and --full's fresh read recovers", async () => {
    fillAccount();
    await runSync(store, pack, source());
    await store.run("UPDATE _sync_cursors SET cursor = 'evt_expired' WHERE stream = 'events'");
    const error = await runSync(store, pack, source()).catch((e) => e);
    expect(error).toMatchObject({ code: "cursor_expired" });
    expect(error.message).toContain("--full");
    await store.run("DELETE FROM _sync_cursors");
    expect(await runSync(store, pack, source())).toMatchObject({ inserted: 0, updated: 0, rejected: 0 });
  });

  it("a voided invoice stops counting as open", async () => {
    const [c] = fillAccount();
    await runSync(store, pack, source());
    const open = [...fake.invoices.values()].find((i) => i.customer === c?.id && i.status === "open");
    fake.updateInvoice(open?.id as string, { status: "void", amount_remaining: 0 }, "invoice.voided");
    await runSync(store, pack, source());
    const row = await store.first<{ open: number }>(
      "SELECT amount_minor - amount_paid_minor - amount_credited_minor AS open FROM billing_invoices WHERE id = ?",
      [open?.id as string],
    );
    expect(row?.open).toBe(0);
  });
});

describe("Stripe sync: a busy or failing API", () => {
  it("waits what Retry-After asks on 429s, then carries on", async () => {
    fillAccount();
    fake.fail(2, 429, { headers: { "retry-after": "2" }, match: /GET \/v1\/subscriptions/ });
    const report = await runSync(store, pack, source());
    expect(report.rejected).toBe(0);
    expect(waits).toEqual([2000, 2000]);
    expect(await count("billing_subscriptions")).toBe(12);
  });

  it("backs off on 5xx and, past the retry bound, fails with source_unavailable recorded for sync_status", async () => {
    fillAccount();
    fake.fail(10, 503, { match: /GET \/v1\/customers/ });
    const error = await runSync(
      store,
      pack,
      source({ maxRetries: 3, random: () => 1 - Number.EPSILON }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error.code).toBe("source_unavailable");
    expect(waits).toHaveLength(3);
    // Exponential: each wait at most double the previous bound.
    expect(waits[1]).toBeGreaterThan(waits[0] as number);
    const status = await syncStatusTool("billing").handler(
      {},
      { store, asOf: "2026-12-02", principal: undefined, signal: new AbortController().signal },
    );
    expect(status.systems[0]?.last_error?.code).toBe("source_unavailable");
    expect(await count("billing_accounts")).toBe(0);
  });

  it("an expired key fails at once, names STRIPE_API_KEY and never shows the key", async () => {
    fillAccount();
    fake.expireKey();
    const error = await runSync(store, pack, source()).catch((e) => e);
    expect(error).toMatchObject({ code: "credential_expired" });
    expect(error.message).toContain("STRIPE_API_KEY");
    expect(error.message).not.toContain(fake.key);
    expect(waits).toEqual([]);
  });

  it("without STRIPE_API_KEY the sync source is not even built", () => {
    expect(() => stripeSync.create({ env: {}, baseUrl: fake.url })).toThrow(/STRIPE_API_KEY is not set/);
    expect(() => stripeSync.create({ env: { STRIPE_API_KEY: "sk_test_x" }, baseUrl: "ftp://x" })).toThrow(
      /--base-url must be an http/,
    );
  });
});

import { runSync, type SyncReport } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { createStripeClient } from "../src/connectors/stripe/api/client.js";
import { stripeSource } from "../src/connectors/stripe/api/source.js";
import { pack } from "../src/pack.js";
import { startFakeStripe } from "../src/testing/fake-stripe.js";

/** One timed sync run against the fake. */
export interface SyncRunFigure {
  /** Rows written (inserted + updated) and left unchanged. */
  rows: number;
  /** Stripe objects the run read (list items or events). */
  objects: number;
  requests: number;
  ms: number;
  /** Stripe objects read per second, end to end (HTTP, mapping, SQLite commits). */
  objectsPerSecond: number;
}

/** First-load and incremental sync throughput of the billing pack against the local fake Stripe. */
export interface SyncThroughput {
  customers: number;
  firstLoad: SyncRunFigure;
  incremental: SyncRunFigure;
}

/**
 * Measures `sync stripe` against a local fake Stripe API holding `customers` customers, each
 * with a subscription, two invoices and (one in two) a payment; then `changes` changes (new
 * invoices paid at once, renamed customers) read through the Events API. In-memory SQLite;
 * the fake answers on loopback, so this is the pack's cost, not Stripe's latency.
 */
export async function measureStripeSync(
  options: { customers?: number; changes?: number } = {},
): Promise<SyncThroughput> {
  const customers = options.customers ?? 2_000;
  const changes = options.changes ?? 500;
  const fake = await startFakeStripe();
  const store = openSqliteStore();
  try {
    const ids: string[] = [];
    for (let i = 0; i < customers; i++) {
      const c = fake.addCustomer({ name: `Customer ${i}` });
      ids.push(c.id);
      const sub = fake.addSubscription(c.id, { amount: 1_000 + (i % 50) * 100, quantity: 1 + (i % 3) });
      const open = fake.addInvoice(c.id, { amount: 5_000 + i, subscription: sub.id });
      fake.addInvoice(c.id, { amount: 2_000, status: "paid" });
      if (i % 2 === 0) fake.addPayment(open.id, 1_000);
    }
    const source = stripeSource(createStripeClient({ apiKey: fake.key, baseUrl: fake.url }));
    const run = async (objects: () => number): Promise<SyncRunFigure> => {
      const before = fake.requests.length;
      const started = performance.now();
      const report: SyncReport = await runSync(store, pack, source);
      const ms = performance.now() - started;
      const read = objects();
      return {
        rows: report.inserted + report.updated + report.unchanged,
        objects: read,
        requests: fake.requests.length - before,
        ms,
        objectsPerSecond: read / (ms / 1000),
      };
    };
    const firstLoad = await run(() => customers * 4 + Math.ceil(customers / 2));
    const eventsBefore = fake.requests.length;
    let events = 0;
    for (let i = 0; i < changes; i++) {
      const id = ids[i % ids.length] as string;
      if (i % 2 === 0) {
        fake.updateCustomer(id, { name: `Customer ${i} (renamed)` });
        events += 1;
      } else {
        const invoice = fake.addInvoice(id, { amount: 3_000 + i });
        fake.addPayment(invoice.id, 3_000 + i);
        events += 4;
      }
    }
    void eventsBefore;
    const incremental = await run(() => events);
    return { customers, firstLoad, incremental };
  } finally {
    await store.close();
    await fake.close();
  }
}

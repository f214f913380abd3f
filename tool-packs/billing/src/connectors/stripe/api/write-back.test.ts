import {
  DRY_RUN_META,
  ERROR_CODE_META,
  IDEMPOTENCY_KEY_META,
  REPLAYED_META,
  type RetryOptions,
  runSync,
  type Store,
  writeBackFor,
} from "@toolpacks/pack-kit";
import { connectPackClient, openTestStore, type PackClient } from "@toolpacks/pack-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeStripe, startFakeStripe } from "../../../testing/fake-stripe.js";
import { createStripeClient } from "./client.js";
import type { ApiInvoice } from "./shapes.js";
import { stripeSource } from "./source.js";

let fake: FakeStripe;
let store: Store;
let client: PackClient;
let open: ApiInvoice;
let paid: ApiInvoice;

/** Syncs a small Stripe account, then serves the pack writing back through `retry`'s client. */
async function serve(retry: RetryOptions = {}) {
  const stripe = createStripeClient({
    apiKey: fake.key,
    baseUrl: fake.url,
    retry: { sleep: async () => {}, ...retry },
  });
  const source = stripeSource(stripe);
  await runSync(store, pack, source);
  client = await connectPackClient(pack, { store, budget: "error", writeBack: source.push });
}

beforeEach(async () => {
  fake = await startFakeStripe();
  store = await openTestStore();
  const customer = fake.addCustomer({ name: "Acme" });
  open = fake.addInvoice(customer.id, { amount: 10_000 });
  paid = fake.addInvoice(customer.id, { amount: 4_000, status: "paid" });
});
afterEach(async () => {
  await client?.close();
  await fake.close();
  await store.close();
});

const creditNote = (invoice: string, amount: number) => ({
  invoice_id: invoice,
  amount_minor: amount,
  currency: "USD",
  reason: "goodwill",
});
const localNotes = async () =>
  (await store.all<{ amount_minor: number }>("SELECT amount_minor FROM billing_credit_notes")).map(
    (n) => n.amount_minor,
  );
const posts = () => fake.requests.filter((r) => r.method === "POST");
const codeOf = (result: Awaited<ReturnType<PackClient["call"]>>) =>
  (result._meta as Record<string, unknown> | undefined)?.[ERROR_CODE_META];

describe("write-back to Stripe", () => {
  it("applies the write in Stripe first with the runtime's key as Idempotency-Key, then records it", async () => {
    await serve();
    const result = await client.call("issue_credit_note", creditNote(open.id, 2_500), {
      [IDEMPOTENCY_KEY_META]: "run-1:call-1",
    });
    expect(result.isError).toBeFalsy();
    expect(fake.creditNotes.map((n) => [n.invoice, n.amount])).toEqual([[open.id, 2_500]]);
    expect(posts().map((r) => [r.path, r.idempotencyKey])).toEqual([["/v1/credit_notes", "run-1:call-1"]]);
    expect(await localNotes()).toEqual([2_500]);
  });

  it("a write that timed out after Stripe applied it is applied once when retried with the same key", async () => {
    await serve({ maxRetries: 0, attemptTimeoutMs: 1_500 });
    fake.answerNextWriteAfter(60_000);
    const meta = { [IDEMPOTENCY_KEY_META]: "run-2:call-7" };
    const first = await client.call("issue_credit_note", creditNote(open.id, 1_000), meta);
    expect(first.isError).toBe(true);
    expect(codeOf(first)).toBe("source_unavailable");
    // Stripe applied it; the store did not record it.
    expect(fake.applied).toBe(1);
    expect(await localNotes()).toEqual([]);
    const retry = await client.call("issue_credit_note", creditNote(open.id, 1_000), meta);
    expect(retry.isError).toBeFalsy();
    expect(fake.applied).toBe(1);
    expect(fake.creditNotes).toHaveLength(1);
    expect(await localNotes()).toEqual([1_000]);
    // A third try is answered from the store's idempotency record: Stripe is not asked again.
    const before = posts().length;
    const third = await client.call("issue_credit_note", creditNote(open.id, 1_000), meta);
    expect((third._meta as Record<string, unknown>)[REPLAYED_META]).toBe(true);
    expect(posts()).toHaveLength(before);
  });

  it("retries a timed-out attempt inside one call with the same key: applied once", async () => {
    await serve({ maxRetries: 2, attemptTimeoutMs: 1_500 });
    fake.answerNextWriteAfter(60_000);
    const result = await client.call("issue_credit_note", creditNote(open.id, 700), {
      [IDEMPOTENCY_KEY_META]: "k-inside",
    });
    expect(result.isError).toBeFalsy();
    expect(posts().length).toBeGreaterThanOrEqual(2);
    expect(fake.applied).toBe(1);
    expect(await localNotes()).toEqual([700]);
  });

  it("a write Stripe refuses answers with Stripe's reason and changes nothing locally", async () => {
    await serve();
    // Voided in Stripe after the last sync: the store still thinks it is open.
    fake.updateInvoice(open.id, { status: "void", amount_remaining: 0 }, "invoice.voided");
    const before = await store.all("SELECT * FROM billing_invoices ORDER BY id");
    const result = await client.call("issue_credit_note", creditNote(open.id, 500), {
      [IDEMPOTENCY_KEY_META]: "k-void",
    });
    expect(result.isError).toBe(true);
    expect(codeOf(result)).toBe("source_refused");
    const text = (result.content as Array<{ text: string }>)[0]?.text ?? "";
    expect(text).toContain(`Invoice ${open.id} is void`);
    expect(text).toContain("Nothing was written to the store");
    expect(await localNotes()).toEqual([]);
    expect(await store.all("SELECT * FROM billing_invoices ORDER BY id")).toEqual(before);
  });

  it("a dry run never calls a Stripe write endpoint", async () => {
    await serve();
    const result = await client.call("issue_credit_note", creditNote(open.id, 500), { [DRY_RUN_META]: true });
    expect(result.isError).toBeFalsy();
    expect(posts()).toEqual([]);
    expect(await localNotes()).toEqual([]);
  });

  it("records a payment in Stripe only when it settles the whole open amount", async () => {
    await serve();
    const partial = await client.call("record_payment", {
      invoice_id: open.id,
      amount_minor: 4_000,
      currency: "USD",
    });
    expect(codeOf(partial)).toBe("unsupported_write");
    expect(posts()).toEqual([]);
    const whole = await client.call(
      "record_payment",
      { invoice_id: open.id, amount_minor: 10_000, currency: "USD" },
      { [IDEMPOTENCY_KEY_META]: "pay-1" },
    );
    expect(whole.isError).toBeFalsy();
    expect(posts().map((r) => r.path)).toEqual([`/v1/invoices/${open.id}/pay`]);
    expect(fake.invoices.get(open.id)?.status).toBe("paid");
    expect(paid.status).toBe("paid");
  });

  it("a synced store served without STRIPE_API_KEY refuses writes, naming the variable", async () => {
    await serve();
    await client.close();
    const writeBack = await writeBackFor(store, pack, {});
    expect(writeBack).toBeDefined();
    client = await connectPackClient(pack, { store, budget: "error", ...(writeBack ? { writeBack } : {}) });
    const result = await client.call("issue_credit_note", creditNote(open.id, 500));
    expect(codeOf(result)).toBe("credential_missing");
    expect((result.content as Array<{ text: string }>)[0]?.text).toContain("STRIPE_API_KEY");
    expect(await localNotes()).toEqual([]);
    expect(posts()).toEqual([]);
  });
});

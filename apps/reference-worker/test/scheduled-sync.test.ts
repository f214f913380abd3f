import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createFakeStripe } from "../../../tool-packs/billing/src/testing/fake-stripe-api.js";
import worker from "../src/index.js";
import { scheduledSync, syncConfiguredSources } from "../src/sync/scheduled-sync.js";

// The Cron Trigger's sync, in workerd, into D1: against the billing pack's fake Stripe (Stripe's
// documented shapes, no network), reached through the sources' injectable fetch.

/** The Worker's env as deployed for sync: no generated world (sync never mixes into one), Stripe configured. */
function syncedEnv(stripe: ReturnType<typeof createFakeStripe>) {
  return {
    ...env,
    WORLD_SCALE: undefined,
    STRIPE_API_KEY: stripe.key,
    STRIPE_BASE_URL: "https://stripe.test",
  };
}
const via =
  (stripe: ReturnType<typeof createFakeStripe>): typeof fetch =>
  (input, init) =>
    stripe.handle(new Request(input, init));

describe("the Cron Trigger's sync into D1", () => {
  it("does nothing when no system of record is configured", async () => {
    expect(await syncConfiguredSources({ ...env, WORLD_SCALE: undefined })).toEqual([]);
    await expect(
      worker.scheduled({} as ScheduledController, { ...env, WORLD_SCALE: undefined }),
    ).resolves.toBeUndefined();
  });

  it("first load then increments from Stripe into the billing tables, resumable by its cursors", async () => {
    const stripe = createFakeStripe();
    for (let i = 0; i < 3; i++) {
      const customer = stripe.addCustomer();
      stripe.addInvoice(customer.id, { amount: 1000 * (i + 1) });
    }
    const first = await scheduledSync(syncedEnv(stripe), { fetch: via(stripe) });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ pack: "billing", system: "stripe", ok: true });
    const report = first[0]?.ok ? first[0].report : undefined;
    expect(report?.inserted).toBeGreaterThanOrEqual(6);
    const accounts = async () =>
      (await env.DB.prepare("SELECT COUNT(*) AS n FROM billing_accounts").first<{ n: number }>())?.n;
    expect(await accounts()).toBe(3);

    // The next run reads only what changed since (the events after the saved cursor).
    stripe.addCustomer();
    const second = await scheduledSync(syncedEnv(stripe), { fetch: via(stripe) });
    expect(second[0]).toMatchObject({ ok: true, report: { inserted: 1, deleted: 0 } });
    expect(await accounts()).toBe(4);
    const cursors = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM _sync_cursors WHERE pack = 'billing' AND system = 'stripe'",
    ).first<{ n: number }>();
    expect(cursors?.n).toBeGreaterThan(0);
  });

  it("a source that fails is reported with its code and fails the invocation; nothing half-written", async () => {
    const stripe = createFakeStripe();
    stripe.addCustomer();
    stripe.expireKey();
    const rows = async () =>
      (
        await env.DB.prepare(
          "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'billing_accounts'",
        ).first<{
          n: number;
        }>()
      )?.n
        ? (await env.DB.prepare("SELECT COUNT(*) AS n FROM billing_accounts").first<{ n: number }>())?.n
        : 0;
    const before = await rows();
    const outcomes = await syncConfiguredSources(syncedEnv(stripe), { fetch: via(stripe) });
    expect(outcomes).toEqual([
      {
        pack: "billing",
        system: "stripe",
        ok: false,
        error: { code: "credential_expired", message: expect.stringContaining("STRIPE_API_KEY") },
      },
    ]);
    await expect(scheduledSync(syncedEnv(stripe), { fetch: via(stripe) })).rejects.toThrow(
      /sync failed for billing\/stripe/,
    );
    expect(await rows()).toBe(before);
  });

  it("an invocation that overlaps a running sync skips that source without failing; the running one finishes", async () => {
    // A fresh fake Stripe: forget the cursors the tests above saved against theirs.
    await env.DB.prepare("DELETE FROM _sync_cursors WHERE pack = 'billing'").run();
    const stripe = createFakeStripe();
    stripe.addCustomer();
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const inFirstRequest = new Promise<void>((r) => {
      reached = r;
    });
    let held = false;
    const slow: typeof fetch = async (input, init) => {
      if (!held) {
        held = true;
        reached();
        await gate;
      }
      return stripe.handle(new Request(input, init));
    };
    const first = scheduledSync(syncedEnv(stripe), { fetch: slow });
    await inFirstRequest;
    const overlapping = await scheduledSync(syncedEnv(stripe), { fetch: via(stripe) });
    expect(overlapping).toEqual([
      expect.objectContaining({
        pack: "billing",
        system: "stripe",
        ok: false,
        error: expect.objectContaining({ code: "sync_in_progress" }),
      }),
    ]);
    release();
    expect((await first)[0]).toMatchObject({ ok: true });
  });
});

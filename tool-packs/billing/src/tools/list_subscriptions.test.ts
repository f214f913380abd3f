import type { BillingSubscription } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";
import { usdTotal } from "../testing/world-facts.js";

let f: BillingFixture;
let subs: BillingSubscription[];
beforeAll(async () => {
  f = await openBillingFixture();
  subs = [...f.world.billing.subscriptions()];
});
afterAll(() => f.close());

type Row = {
  subscription_id: string;
  account_id: string;
  plan_id: string;
  status: string;
  seats: number;
  currency: string;
  mrr_minor: number;
  started_on: string;
  cancelled_on: string | null;
};
type List = {
  totals: { subscriptions: number; mrr_usd_minor: number };
  by_currency: Array<{ currency: string; subscriptions: number; mrr_minor: number }>;
  subscriptions: Row[];
  next_cursor: string | null;
};
type Mrr = {
  closing_mrr_usd_minor: number;
  subscriptions: { active_closing: number; churned: number };
  by_currency: Array<{ currency: string; closing_mrr_minor: number; churn_minor: number }>;
};

async function walk(args: Record<string, unknown>): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  do {
    const page: List = await f.ask<List>("list_subscriptions", { ...args, ...(cursor ? { cursor } : {}) });
    expect(page.subscriptions.length).toBeLessThanOrEqual((args["limit"] as number | undefined) ?? 10);
    rows.push(...page.subscriptions);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return rows;
}

describe("list_subscriptions", () => {
  it("walks every world subscription exactly once through the cursor, with status, days and MRR", async () => {
    const rows = await walk({ limit: 20 });
    expect(rows.length).toBe(subs.length);
    const byId = new Map(rows.map((r) => [r.subscription_id, r]));
    expect(byId.size).toBe(subs.length);
    for (const s of subs) {
      expect(byId.get(s.id), s.id).toEqual({
        subscription_id: s.id,
        account_id: s.account_id,
        plan_id: s.plan_id,
        status: s.status,
        seats: s.seats,
        currency: s.currency,
        mrr_minor: s.price_minor,
        started_on: s.started_on,
        cancelled_on: s.cancelled_on,
      });
    }
  });

  it("lists the subscriptions that churned in a period: the same count and churned MRR as mrr_summary", async () => {
    const churned = subs.filter(
      (s) => s.cancelled_on !== null && s.cancelled_on >= "2026-04-01" && s.cancelled_on <= "2026-06-30",
    );
    expect(churned.length).toBeGreaterThan(0);
    const list = await f.ask<List>("list_subscriptions", { cancelled_in: "2026-Q2", limit: 20 });
    const mrr = await f.ask<Mrr>("mrr_summary", { period: "2026-Q2" });
    expect(list.totals.subscriptions).toBe(churned.length);
    expect(list.totals.subscriptions).toBe(mrr.subscriptions.churned);
    for (const row of mrr.by_currency) {
      const listed = list.by_currency.find((c) => c.currency === row.currency)?.mrr_minor ?? 0;
      expect(listed, row.currency).toBe(row.churn_minor);
    }
    const ids = (await walk({ cancelled_in: "2026-Q2", limit: 7 })).map((r) => r.subscription_id);
    expect(new Set(ids)).toEqual(new Set(churned.map((s) => s.id)));
  });

  it("totals active subscriptions' MRR as mrr_summary's closing MRR, each currency converted once", async () => {
    const active = subs.filter((s) => s.status === "active");
    const list = await f.ask<List>("list_subscriptions", { status: "active" });
    const mrr = await f.ask<Mrr>("mrr_summary", {});
    expect(list.totals.subscriptions).toBe(active.length);
    expect(list.totals.subscriptions).toBe(mrr.subscriptions.active_closing);
    expect(list.totals.mrr_usd_minor).toBe(usdTotal(active, (s) => s.price_minor));
    expect(list.totals.mrr_usd_minor).toBe(mrr.closing_mrr_usd_minor);
    for (const row of mrr.by_currency) {
      expect(list.by_currency.find((c) => c.currency === row.currency)?.mrr_minor, row.currency).toBe(
        row.closing_mrr_minor,
      );
    }
  });

  it("orders by cancellation day, latest first, uncancelled last, and applies account and start filters", async () => {
    const rows = await walk({ sort: "cancelled_on", limit: 20, currency: "EUR" });
    const days = rows.map((r) => r.cancelled_on);
    const cancelled = days.filter((d): d is string => d !== null);
    expect(days.slice(0, cancelled.length)).toEqual(cancelled);
    expect(cancelled).toEqual([...cancelled].sort().reverse());
    expect(rows.every((r) => r.currency === "EUR")).toBe(true);
    expect(rows.length).toBe(subs.filter((s) => s.currency === "EUR").length);

    const one = subs[0]!;
    const mine = await f.ask<List>("list_subscriptions", { account_id: one.account_id });
    expect(mine.subscriptions.map((r) => r.subscription_id)).toEqual([one.id]);

    const started = await f.ask<List>("list_subscriptions", { started_in: "2026-06" });
    expect(started.totals.subscriptions).toBe(subs.filter((s) => s.started_on.startsWith("2026-06")).length);
  });

  it("shows the MRR a subscription has after a seat change, from the same events mrr_summary sums", async () => {
    const target = subs.find((s) => s.status === "active" && s.started_on < "2026-01-01");
    if (!target) throw new Error("world has no long-running subscription");
    await f.store.run(
      "INSERT INTO billing_mrr_events (subscription_id, effective_on, account_id, kind, delta_minor, mrr_minor, currency) VALUES (?, ?, ?, 'expansion', ?, ?, ?)",
      [target.id, "2026-06-15", target.account_id, 700, target.price_minor + 700, target.currency],
    );
    const mine = await f.ask<List>("list_subscriptions", { account_id: target.account_id });
    expect(mine.subscriptions[0]?.mrr_minor).toBe(target.price_minor + 700);
  });

  it("lists a trialing subscription (an imported status) with MRR 0, as mrr_summary counts it", async () => {
    const sub = subs[0]!;
    await f.store.run(
      `INSERT INTO billing_subscriptions (id, account_id, plan_id, status, seats, price_minor, currency, started_on, cancelled_on)
       VALUES ('SUB-TRIAL-1', ?, ?, 'trialing', 3, 9000, ?, '2026-06-20', NULL)`,
      [sub.account_id, sub.plan_id, sub.currency],
    );
    const trials = await f.ask<List>("list_subscriptions", { status: "trialing" });
    expect(trials.subscriptions.map((r) => [r.subscription_id, r.status, r.mrr_minor])).toEqual([
      ["SUB-TRIAL-1", "trialing", 0],
    ]);
    expect(trials.totals).toEqual({ subscriptions: 1, mrr_usd_minor: 0 });
  });

  it("answers as of its date when some MRR moves after it (a movement dated later changes nothing)", async () => {
    const target = subs.find((s) => s.status === "active");
    if (!target) throw new Error("world has no active subscription");
    const asks = [{}, { sort: "started_on", limit: 5 }, { currency: target.currency, limit: 20 }];
    const before = await Promise.all(asks.map((a) => f.ask<List>("list_subscriptions", a)));
    await f.store.run(
      "INSERT INTO billing_mrr_events (subscription_id, effective_on, account_id, kind, delta_minor, mrr_minor, currency) VALUES (?, ?, ?, 'expansion', ?, ?, ?)",
      [
        target.id,
        "2099-01-01",
        target.account_id,
        9_000_000,
        target.price_minor + 9_000_000,
        target.currency,
      ],
    );
    try {
      const after = await Promise.all(asks.map((a) => f.ask<List>("list_subscriptions", a)));
      expect(after).toEqual(before);
    } finally {
      await f.store.run("DELETE FROM billing_mrr_events WHERE effective_on = '2099-01-01'");
    }
  });

  it("refuses a cursor from other filters and a page over 20, saying how to fix it", async () => {
    const first = await f.ask<List>("list_subscriptions", { limit: 1 });
    expect(first.next_cursor).not.toBeNull();
    const wrong = await f.fail("list_subscriptions", {
      status: "cancelled",
      limit: 1,
      cursor: first.next_cursor,
    });
    expect(wrong.code).toBe("invalid_cursor");
    const tooMany = await f.fail("list_subscriptions", { limit: 21 });
    expect(tooMany.code).toBe("invalid_arguments");
    const badPeriod = await f.fail("list_subscriptions", { cancelled_in: "2026-02-30..2026-03-01" });
    expect(badPeriod.code).toBe("invalid_period");
    expect(badPeriod.text).toMatch(/Fix:/);
  });
});

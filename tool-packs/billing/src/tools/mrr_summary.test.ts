import type { Store } from "@toolpacks/pack-kit";
import { type BillingSubscription, dayOf, toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Mrr = {
  opening_on: string;
  closing_on: string;
  opening_mrr_usd_minor: number;
  closing_mrr_usd_minor: number;
  arr_usd_minor: number;
  movements_usd_minor: { new: number; expansion: number; contraction: number; churn: number; net: number };
  subscriptions: { active_closing: number; new: number; churned: number; expanded: number };
  by_currency: Array<{
    currency: string;
    opening_mrr_minor: number;
    closing_mrr_minor: number;
    new_minor: number;
    expansion_minor: number;
    contraction_minor: number;
    churn_minor: number;
  }>;
  top_movements: Array<{ subscription_id: string; kind: string }>;
  next_cursor: string | null;
};

/** MRR of a world subscription on a day: its price between start and cancellation. */
function mrrOn(sub: BillingSubscription, day: string): number {
  const active = sub.started_on <= day && (sub.cancelled_on === null || day < sub.cancelled_on);
  return active ? sub.price_minor : 0;
}

async function addMovement(store: Store, subscriptionId: string, on: string, delta: number) {
  const sub = await store.first<{ account_id: string; currency: string; price_minor: number }>(
    "SELECT account_id, currency, price_minor FROM billing_subscriptions WHERE id = ?",
    [subscriptionId],
  );
  await store.run(
    "INSERT INTO billing_mrr_events (subscription_id, effective_on, account_id, kind, delta_minor, mrr_minor, currency) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [
      subscriptionId,
      on,
      sub?.account_id ?? null,
      delta > 0 ? "expansion" : "contraction",
      delta,
      (sub?.price_minor ?? 0) + delta,
      sub?.currency ?? null,
    ],
  );
}

describe("mrr_summary", () => {
  it("matches MRR, ARR and the new and churn movements of the world's subscription starts and cancellations", async () => {
    const answer = await f.ask<Mrr>("mrr_summary", { period: "2026-Q2" });
    expect(answer.opening_on).toBe("2026-03-31");
    expect(answer.closing_on).toBe("2026-06-30");
    const subs = [...f.world.billing.subscriptions()];
    const perCurrency = new Map<string, { opening: number; closing: number; new: number; churn: number }>();
    let newCount = 0;
    let churned = 0;
    const inPeriod = (day: string | null) =>
      day !== null && day > answer.opening_on && day <= answer.closing_on;
    for (const s of subs) {
      const e = perCurrency.get(s.currency) ?? { opening: 0, closing: 0, new: 0, churn: 0 };
      e.opening += mrrOn(s, answer.opening_on);
      e.closing += mrrOn(s, answer.closing_on);
      if (inPeriod(s.started_on)) {
        e.new += s.price_minor;
        newCount++;
      }
      if (inPeriod(s.cancelled_on)) {
        e.churn += s.price_minor;
        churned++;
      }
      perCurrency.set(s.currency, e);
    }
    for (const row of answer.by_currency) {
      const e = perCurrency.get(row.currency);
      expect(row).toMatchObject({
        opening_mrr_minor: e?.opening,
        closing_mrr_minor: e?.closing,
        new_minor: e?.new,
        churn_minor: e?.churn,
      });
      expect(
        row.opening_mrr_minor + row.new_minor + row.expansion_minor - row.contraction_minor - row.churn_minor,
      ).toBe(row.closing_mrr_minor);
    }
    const closingUsd = [...perCurrency].reduce(
      (s, [cur, e]) => s + toReportingMinor(e.closing, cur as "USD"),
      0,
    );
    expect(answer.closing_mrr_usd_minor).toBe(closingUsd);
    expect(answer.arr_usd_minor).toBe(closingUsd * 12);
    expect(answer.subscriptions).toMatchObject({ new: newCount, churned });
    expect(answer.subscriptions.active_closing).toBe(
      subs.filter((s) => mrrOn(s, answer.closing_on) > 0).length,
    );
    expect(newCount + churned).toBeGreaterThan(0);
  });

  it("counts a seat increase as expansion and a decrease as contraction", async () => {
    const active = [...f.world.billing.subscriptions()].filter(
      (s) => s.status === "active" && dayOf(s.started_on) < dayOf("2026-01-01"),
    );
    const [up, down] = active;
    if (!up || !down) throw new Error("world has too few long-running subscriptions");
    await addMovement(f.store, up.id, "2026-06-10", 1_000);
    await addMovement(f.store, down.id, "2026-06-12", -500);
    const answer = await f.ask<Mrr>("mrr_summary", { period: "2026-06", limit: 20 });
    expect(answer.subscriptions.expanded).toBe(1);
    const upRow = answer.by_currency.find((r) => r.currency === up.currency);
    const downRow = answer.by_currency.find((r) => r.currency === down.currency);
    expect(upRow?.expansion_minor).toBe(1_000);
    expect(downRow?.contraction_minor).toBe(500);
    const kinds = Object.fromEntries(answer.top_movements.map((m) => [m.subscription_id, m.kind]));
    expect(kinds[up.id]).toBe("expansion");
    expect(kinds[down.id]).toBe("contraction");
  });

  it("counts a subscription that expands twice in a period once, and once in each month it expands", async () => {
    const active = [...f.world.billing.subscriptions()].filter(
      (s) => s.status === "active" && dayOf(s.started_on) < dayOf("2026-01-01"),
    );
    const twice = active[2];
    if (!twice) throw new Error("world has too few long-running subscriptions");
    await addMovement(f.store, twice.id, "2026-04-20", 300);
    await addMovement(f.store, twice.id, "2026-05-20", 200);
    const april = await f.ask<Mrr>("mrr_summary", { period: "2026-04" });
    const may = await f.ask<Mrr>("mrr_summary", { period: "2026-05" });
    const quarter = await f.ask<Mrr>("mrr_summary", { period: "2026-Q2" });
    const days = await f.ask<Mrr>("mrr_summary", { period: "2026-04-21..2026-05-25" });
    expect([april, may, days].map((a) => a.subscriptions.expanded)).toEqual([1, 1, 1]);
    // The quarter also holds the June expansion of the test before: two subscriptions, not three.
    expect(quarter.subscriptions.expanded).toBe(2);
  });

  it("refuses a period that ends before it starts, saying how to write one", async () => {
    const error = await f.fail("mrr_summary", { period: "2026-06-30..2026-06-01" });
    expect(error.code).toBe("invalid_period");
    expect(error.text).toMatch(/Fix:/);
  });
});

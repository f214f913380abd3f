import { toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";
import { daysPastDue, openInvoices, openOf, usdTotal } from "../testing/world-facts.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Overdue = {
  totals: { invoices: number; accounts: number; open_usd_minor: number };
  invoices: Array<{ id: string; open_minor: number; days_overdue: number; due_on: string }>;
  next_cursor: string | null;
};

describe("overdue_invoices", () => {
  it("totals the world's overdue invoices and converts each currency's total to USD", async () => {
    const overdue = openInvoices(f.world).filter((i) => daysPastDue(f.world, i) >= 1);
    const answer = await f.ask<Overdue>("overdue_invoices", {});
    expect(answer.totals.invoices).toBe(overdue.length);
    expect(answer.totals.accounts).toBe(new Set(overdue.map((i) => i.account_id)).size);
    expect(answer.totals.open_usd_minor).toBe(usdTotal(overdue, openOf));
  });

  it("walks every overdue invoice exactly once, oldest first, through the cursor", async () => {
    const ids: string[] = [];
    const dues: string[] = [];
    let cursor: string | undefined;
    do {
      const page: Overdue = await f.ask<Overdue>("overdue_invoices", {
        sort: "days_overdue",
        limit: 4,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.invoices.map((i) => i.id));
      dues.push(...page.invoices.map((i) => i.due_on));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    const expected = openInvoices(f.world)
      .filter((i) => daysPastDue(f.world, i) >= 1)
      .map((i) => i.id);
    expect(ids.length).toBe(expected.length);
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(dues).toEqual([...dues].sort());
  });

  it("applies the minimum days overdue", async () => {
    const answer = await f.ask<Overdue>("overdue_invoices", { min_days_overdue: 60, limit: 20 });
    expect(answer.invoices.every((i) => i.days_overdue >= 60)).toBe(true);
    expect(answer.totals.invoices).toBe(
      openInvoices(f.world).filter((i) => daysPastDue(f.world, i) >= 60).length,
    );
  });

  it("pages the largest open amounts first whether the overdue invoices are many or few", async () => {
    // Many matches walk the open invoices in USD order; few are sorted on their own. Both must
    // give the order of the open amount in USD, ties by id, and every match once.
    for (const minDays of [1, 45, 120, 400]) {
      const expected = openInvoices(f.world)
        .filter((i) => daysPastDue(f.world, i) >= minDays)
        .map((i) => ({ id: i.id, usd: toReportingMinor(openOf(i), i.currency) }))
        .sort((a, b) => b.usd - a.usd || (a.id < b.id ? -1 : 1))
        .map((i) => i.id);
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page: Overdue = await f.ask<Overdue>("overdue_invoices", {
          min_days_overdue: minDays,
          limit: 7,
          ...(cursor ? { cursor } : {}),
        });
        ids.push(...page.invoices.map((i) => i.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      expect(ids).toEqual(expected);
    }
  });

  it("counts each account once, in any currency, and per currency when asked", async () => {
    for (const minDays of [1, 60]) {
      const overdue = openInvoices(f.world).filter((i) => daysPastDue(f.world, i) >= minDays);
      const all = await f.ask<Overdue>("overdue_invoices", { min_days_overdue: minDays });
      expect(all.totals.accounts).toBe(new Set(overdue.map((i) => i.account_id)).size);
      const eur = await f.ask<Overdue>("overdue_invoices", { min_days_overdue: minDays, currency: "EUR" });
      expect(eur.totals.accounts).toBe(
        new Set(overdue.filter((i) => i.currency === "EUR").map((i) => i.account_id)).size,
      );
    }
  });

  it("rejects a cursor from a call with other filters, saying how to recover", async () => {
    const first = await f.ask<Overdue>("overdue_invoices", { limit: 1 });
    expect(first.next_cursor).not.toBeNull();
    const error = await f.fail("overdue_invoices", {
      limit: 1,
      min_days_overdue: 30,
      cursor: first.next_cursor,
    });
    expect(error.code).toBe("invalid_cursor");
    expect(error.text).toMatch(/Fix:/);
  });

  it("refuses a limit over its maximum instead of answering past its budget", async () => {
    const error = await f.fail("overdue_invoices", { limit: 500 });
    expect(error.code).toBe("invalid_arguments");
    expect(error.text).toMatch(/limit/);
  });
});

import { estimateTokens, fitToBudget } from "@toolpacks/pack-kit";
import { fullPageCalls } from "@toolpacks/pack-kit/testing";
import { CURRENCIES, toReportingMinor } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm, usdByRule } from "../test-support.js";
import { dealsClosed } from "./deals_closed.js";

interface ClosedDeal {
  id: string;
  account_id: string;
  amount_minor: number;
  currency: string;
  close_date: string;
  lines: Array<{ sku: string; quantity: number; net_unit_price_minor: number }>;
}

describe("deals_closed", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  const wonIn = (from: string, to: string) =>
    [...crm.world.crm.dealBundles()].filter(
      (b) => b.deal.stage === "closed_won" && b.deal.close_date >= from && b.deal.close_date <= to,
    );

  it("walks every deal won in the quarter once, oldest first, with its lines", async () => {
    const deals = await crm.pages<ClosedDeal>("deals_closed", { period: "2026-Q2", limit: 7 }, "deals");
    const expected = wonIn("2026-04-01", "2026-06-30");
    expect(expected.length).toBeGreaterThan(7);
    expect(new Set(deals.map((d) => d.id)).size).toBe(deals.length);
    expect(deals.map((d) => d.id).sort()).toEqual(expected.map((b) => b.deal.id).sort());
    const byId = new Map(expected.map((b) => [b.deal.id, b]));
    for (const d of deals) {
      const world = byId.get(d.id)!;
      expect(d.account_id).toBe(world.deal.account_id);
      expect(d.amount_minor).toBe(world.deal.amount_minor);
      expect(d.currency).toBe(world.deal.currency);
      expect(d.lines).toEqual(
        world.lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          net_unit_price_minor: l.unit_price_minor,
        })),
      );
    }
    const dates = deals.map((d) => d.close_date);
    expect(dates).toEqual([...dates].sort());
  });

  it("totals per currency and in USD match the world", async () => {
    const { data } = await crm.call("deals_closed", { period: "2026-Q2" });
    const expected = wonIn("2026-04-01", "2026-06-30");
    expect(data.totals.deals).toBe(expected.length);
    // One rule: each currency's total converted once, then added; recomputable from by_currency.
    expect(data.totals.amount_usd_minor).toBe(
      usdByRule(expected.map((b) => ({ currency: b.deal.currency, minor: b.deal.amount_minor }))),
    );
    let sum = 0;
    for (const c of data.totals.by_currency) {
      const inCurrency = expected.filter((b) => b.deal.currency === c.currency);
      expect(c.deals).toBe(inCurrency.length);
      expect(c.amount_minor).toBe(inCurrency.reduce((s, b) => s + b.deal.amount_minor, 0));
      expect(c.amount_usd_minor).toBe(toReportingMinor(c.amount_minor, c.currency));
      sum += c.amount_usd_minor;
    }
    expect(data.totals.amount_usd_minor).toBe(sum);
  });

  it("totals a period that starts and ends mid-month, per owner too, as the world's deals do", async () => {
    // Whole months come from the close-month rollup, the ragged days from the deals: the period
    // starts and ends on days deals were won mid-month, so both ragged ends hold deals.
    const midMonth = wonIn("2026-01-01", "2026-06-30")
      .map((b) => b.deal.close_date)
      .filter((d) => d.slice(8) > "01" && d.slice(8) < "28")
      .sort();
    const from = midMonth[0]!;
    const to = midMonth.at(-1)!;
    // At least one whole month between them, which the rollup answers.
    expect(Number(to.slice(5, 7)) - Number(from.slice(5, 7))).toBeGreaterThanOrEqual(2);
    const owner = wonIn(from, to)[0]!.deal.owner_id;
    for (const args of [{}, { owner_id: owner }]) {
      const { data } = await crm.call("deals_closed", { period: `${from}..${to}`, ...args });
      const expected = wonIn(from, to).filter((b) => !("owner_id" in args) || b.deal.owner_id === owner);
      expect(data.totals.deals).toBe(expected.length);
      expect(data.totals.amount_usd_minor).toBe(
        usdByRule(expected.map((b) => ({ currency: b.deal.currency, minor: b.deal.amount_minor }))),
      );
    }
  });

  it("defaults to the month of the as-of date and renders one line per deal", async () => {
    const { data, text } = await crm.call("deals_closed", {});
    expect(data.period).toEqual({ label: "2026-06", from: "2026-06-01", to: "2026-06-30" });
    expect(text.split("\n")).toHaveLength(data.deals.length + 2);
    expect(text).toContain(data.deals[0].id);
  });

  it("gives lost deals their reason", async () => {
    const { data } = await crm.call("deals_closed", { period: "2026-Q2", outcome: "lost" });
    expect(data.deals.length).toBeGreaterThan(0);
    for (const d of data.deals) expect(d.lost_reason).toMatch(/\w+/);
  });

  it("refuses a cursor from a different period", async () => {
    const first = await crm.call("deals_closed", { period: "2026-Q2", limit: 1 });
    const wrong = await crm.call("deals_closed", {
      period: "2026-Q1",
      limit: 1,
      cursor: first.data.next_cursor,
    });
    expect(wrong.isError).toBe(true);
    expect(wrong.code).toBe("invalid_cursor");
  });

  it("refuses a limit over 15 and unknown arguments with the allowed range", async () => {
    const big = await crm.call("deals_closed", { limit: 16 });
    expect(big.isError).toBe(true);
    expect(big.text).toMatch(/15/);
    const unknown = await crm.call("deals_closed", { quarter: "2026-Q2" });
    expect(unknown.isError).toBe(true);
  });

  it("fits a full page of the largest deals the world makes into its budget, untrimmed", () => {
    // The world gives a deal at most 4 lines; every field here is at its widest.
    const line = { sku: "SKU-99999", quantity: 99_999, net_unit_price_minor: 99_999_999_999 };
    const deal = {
      id: "D-9999999",
      account_id: "C-999999",
      owner_id: "U-999",
      amount_minor: 999_999_999_999,
      currency: "GBP" as const,
      close_date: "2026-06-30",
      lost_reason: "no_decision",
      lines: [line, line, line, line],
    };
    const limit = fullPageCalls(dealsClosed)[0]!.args["limit"] as number;
    const page = {
      as_of: "2026-06-30",
      period: { label: "2026-04-01..2026-06-30", from: "2026-04-01", to: "2026-06-30" },
      outcome: "lost" as const,
      totals: {
        deals: 999_999,
        amount_usd_minor: 999_999_999_999_999,
        by_currency: CURRENCIES.map((currency) => ({
          currency,
          deals: 999_999,
          amount_minor: 999_999_999_999_999,
          amount_usd_minor: 999_999_999_999_999,
        })),
      },
      reporting_currency: "USD" as const,
      deals: Array.from({ length: limit }, () => deal),
      next_cursor: "eyJvIjo5OTk5OTksImYiOiIxMjM0NTY3In0",
    };
    expect(dealsClosed.output.safeParse(page).success).toBe(true);
    const fitted = fitToBudget(
      page,
      dealsClosed.output,
      dealsClosed.render as never,
      dealsClosed.budgetTokens,
    );
    expect(fitted?.trimmed, `${estimateTokens(JSON.stringify(page))} tokens`).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";
import { openInvoices, openOf, overdueByAccount } from "../testing/world-facts.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Balance = {
  account: { id: string; currency: string };
  balance: {
    open_minor: number;
    overdue_minor: number;
    overdue: boolean;
    oldest_days_overdue: number;
    open_invoices: number;
  };
  behaviour_12m: { settled_invoices: number; avg_days_late: number | null; on_time_ratio: number | null };
  oldest_open_invoices: Array<{ id: string }>;
};

describe("customer_balance", () => {
  it("reports an overdue account's open and overdue balance as the world has it", async () => {
    const [accountId, expected] = [...overdueByAccount(f.world)][0] ?? [];
    if (!accountId || !expected) throw new Error("world has no overdue account");
    const answer = await f.ask<Balance>("customer_balance", { account_id: accountId });
    const open = openInvoices(f.world).filter((i) => i.account_id === accountId);
    expect(answer.balance).toMatchObject({
      open_minor: open.reduce((s, i) => s + openOf(i), 0),
      overdue_minor: expected.overdue_minor,
      overdue: true,
      oldest_days_overdue: expected.oldest_days_overdue,
      open_invoices: open.length,
    });
    expect(answer.oldest_open_invoices[0]?.id).toBeDefined();
  });

  it("measures payment behaviour from settled invoices: ratio within 0..1, late days never negative", async () => {
    const answer = await f.ask<Balance>("customer_balance", { account_id: "C-000003" });
    expect(answer.behaviour_12m.settled_invoices).toBeGreaterThan(0);
    expect(answer.behaviour_12m.on_time_ratio).toBeGreaterThanOrEqual(0);
    expect(answer.behaviour_12m.on_time_ratio).toBeLessThanOrEqual(1);
    expect(answer.behaviour_12m.avg_days_late).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(answer)).not.toMatch(/name|email/i);
  });

  it("answers not_found for an unknown account, pointing at the id format", async () => {
    const error = await f.fail("customer_balance", { account_id: "C-999999" });
    expect(error.code).toBe("not_found");
    expect(error.text).toMatch(/C-000042/);
  });
});

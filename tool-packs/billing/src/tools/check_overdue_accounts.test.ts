import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingFixture, openBillingFixture } from "../testing/billing-fixture.js";
import { overdueByAccount } from "../testing/world-facts.js";

let f: BillingFixture;
beforeAll(async () => {
  f = await openBillingFixture();
});
afterAll(() => f.close());

type Check = {
  checked: number;
  overdue: Array<{
    account_id: string;
    overdue_minor: number;
    overdue_invoices: number;
    oldest_days_overdue: number;
  }>;
  clear: number;
  unknown: string[];
};

describe("check_overdue_accounts", () => {
  it("flags exactly the accounts with overdue balances, with amount and oldest days overdue", async () => {
    const ids = f.world
      .customers()
      .slice(0, 100)
      .map((c) => c.id);
    const answer = await f.ask<Check>("check_overdue_accounts", { account_ids: ids });
    const expected = overdueByAccount(f.world);
    const inBatch = ids.filter((id) => expected.has(id));
    expect(inBatch.length).toBeGreaterThan(0);
    expect(answer.overdue.map((o) => o.account_id)).toEqual(inBatch.sort());
    for (const o of answer.overdue) {
      const e = expected.get(o.account_id);
      expect(o).toMatchObject({
        overdue_minor: e?.overdue_minor,
        overdue_invoices: e?.overdue_invoices,
        oldest_days_overdue: e?.oldest_days_overdue,
      });
    }
    expect(answer.checked).toBe(100);
    expect(answer.clear).toBe(100 - inBatch.length);
  });

  it("lists ids that are not billing accounts as unknown and checks duplicates once", async () => {
    const answer = await f.ask<Check>("check_overdue_accounts", {
      account_ids: ["C-000001", "C-000001", "nobody"],
    });
    expect(answer.unknown).toEqual(["nobody"]);
    expect(answer.checked).toBe(1);
  });

  it("refuses more than 100 ids with a message saying the limit", async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `C-${String(i + 1).padStart(6, "0")}`);
    const error = await f.fail("check_overdue_accounts", { account_ids: ids });
    expect(error.code).toBe("invalid_arguments");
    expect(error.text).toMatch(/100/);
  });
});

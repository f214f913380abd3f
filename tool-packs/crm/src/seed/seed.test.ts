import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm } from "../test-support.js";

let crm: CrmUnderTest;
beforeAll(async () => {
  crm = await openCrm(20_000, 1);
});
afterAll(() => crm.close());

describe("seedCrm", () => {
  it("stores each deal's last_activity_at as its latest activity, by full timestamp", async () => {
    const wrong = await crm.store.all<{ id: string; last_activity_at: string | null; latest: string | null }>(
      `SELECT d.id, d.last_activity_at, (SELECT MAX(a.occurred_at) FROM crm_activities a WHERE a.deal_id = d.id) AS latest
       FROM crm_deals d WHERE d.last_activity_at IS DISTINCT FROM (SELECT MAX(a.occurred_at) FROM crm_activities a WHERE a.deal_id = d.id)`,
    );
    expect(wrong).toEqual([]);
    // Deals with several activities on their last day: the case a day-only sort got wrong.
    const sameDay = await crm.store.first<{ n: number }>(
      `SELECT COUNT(*) AS n FROM crm_deals d WHERE (SELECT COUNT(*) FROM crm_activities a
         WHERE a.deal_id = d.id AND substr(a.occurred_at, 1, 10) = substr(d.last_activity_at, 1, 10)) > 1`,
    );
    expect(sameDay!.n).toBeGreaterThan(0);
  });
});

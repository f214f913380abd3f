import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrmUnderTest, openCrm } from "../test-support.js";

describe("get_deal", () => {
  let crm: CrmUnderTest;
  beforeAll(async () => {
    crm = await openCrm();
  });
  afterAll(() => crm.close());

  it("returns the deal, its lines and latest activities as generated", async () => {
    const bundle = crm.world.crm.dealAt(9);
    const { data } = await crm.call("get_deal", { deal_id: bundle.deal.id });
    expect(data.deal).toMatchObject({
      id: bundle.deal.id,
      stage: bundle.deal.stage,
      amount_minor: bundle.deal.amount_minor,
      currency: bundle.deal.currency,
    });
    expect(data.lines).toEqual(
      bundle.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        discount_pct: l.discount_pct,
        net_unit_price_minor: l.unit_price_minor,
      })),
    );
    expect(data.activities.total).toBe(bundle.activities.length);
    expect(data.activities.latest.length).toBe(Math.min(5, bundle.activities.length));
  });

  it("offers no next stage for a closed deal and every other stage for an open one", async () => {
    const deals = [...crm.world.crm.deals()];
    const closed = deals.find((d) => d.stage === "closed_won")!;
    const open = deals.find((d) => d.stage === "proposal")!;
    expect((await crm.call("get_deal", { deal_id: closed.id })).data.allowed_next_stages).toEqual([]);
    expect((await crm.call("get_deal", { deal_id: open.id })).data.allowed_next_stages).toHaveLength(5);
  });

  it("tells where to find deal ids when the id is unknown", async () => {
    const { isError, code, text } = await crm.call("get_deal", { deal_id: "D-9999999" });
    expect(isError).toBe(true);
    expect(code).toBe("not_found");
    expect(text).toMatch(/pipeline_summary/);
  });
});

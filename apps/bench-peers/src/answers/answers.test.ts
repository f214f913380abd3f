/**
 * Smoke test of the pack-answers-vs-raw-APIs builders on the smallest world: every raw object has
 * exactly the vendor's documented keys, carries the world's own amounts and states, and is counted
 * as the question needs; every pack tool answers. Figures (tokens, ratios) are never asserted.
 */
import { createWorld, OPEN_STAGES } from "@toolpacks/world";
import { describe, expect, it } from "vitest";
import { measureAnswerSizes } from "./answer-sizes.js";
import { ANSWER_QUESTIONS } from "./questions.js";
import { HUBSPOT_DEAL_KEYS, HUBSPOT_PIPELINE_PROPERTIES, hubspotDeal } from "./vendor/hubspot.js";
import { slug } from "./vendor/ids.js";
import {
  SHOPIFY_ITEM_KEYS,
  SHOPIFY_LEVEL_KEYS,
  SHOPIFY_LINE_ITEM_KEYS,
  SHOPIFY_ORDER_KEYS,
} from "./vendor/shopify.js";
import {
  STRIPE_INVOICE_KEYS,
  STRIPE_LINE_KEYS,
  STRIPE_SUBSCRIPTION_ITEM_KEYS,
  STRIPE_SUBSCRIPTION_KEYS,
} from "./vendor/stripe.js";

const world = createWorld({ scale: 1_000, seed: 7 });
const raw = (id: string) => {
  const q = ANSWER_QUESTIONS.find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q.raw(world);
};
const keys = (o: unknown) => Object.keys(o as object).sort();
type Obj = Record<string, unknown>;

describe("raw vendor objects", () => {
  it("Stripe invoices: every documented key, one per unpaid invoice, amounts and dates from the world", () => {
    const r = raw("ar-overdue-by-customer");
    const unpaid = [...world.billing.invoices()].filter((i) => i.status !== "paid");
    expect(r.objects).toBe(unpaid.length);
    expect(r.objects).toBeGreaterThan(0);
    const invoices = r.pages.flatMap((p) => (p as { data: Obj[] }).data);
    expect(invoices).toHaveLength(unpaid.length);
    for (const inv of invoices) {
      expect(keys(inv)).toEqual([...STRIPE_INVOICE_KEYS].sort());
      const lines = (inv.lines as { data: Obj[] }).data;
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(keys(line)).toEqual([...STRIPE_LINE_KEYS].sort());
      expect(inv.status).toBe("open");
    }
    // What is still owed, in Stripe's terms, is what the world says is open on those invoices.
    const open = unpaid.reduce(
      (s, i) => s + i.amount_minor - i.amount_paid_minor - i.amount_credited_minor,
      0,
    );
    expect(invoices.reduce((s, i) => s + (i.amount_remaining as number), 0)).toBe(open);
    const overdue = unpaid.filter((i) => i.status === "overdue").length;
    const asOf = Date.parse(`${world.asOf}T00:00:00Z`) / 1000;
    expect(invoices.filter((i) => (i.due_date as number) < asOf).length).toBe(overdue);
    // 100 a page, has_more on every page but the last.
    expect(r.pages.map((p) => (p as { has_more: boolean }).has_more)).toEqual(
      r.pages.map((_, i) => i < r.pages.length - 1),
    );
  });

  it("HubSpot deals: one per open deal, with the pipeline properties as strings", () => {
    const r = raw("pipeline-by-stage");
    const open = [...world.crm.deals()].filter((d) => (OPEN_STAGES as readonly string[]).includes(d.stage));
    expect(r.objects).toBe(open.length);
    const deals = r.pages.flatMap((p) => (p as { results: Obj[] }).results);
    expect(deals).toHaveLength(open.length);
    for (const deal of deals) {
      expect(keys(deal)).toEqual([...HUBSPOT_DEAL_KEYS].sort());
      expect(keys(deal.properties)).toEqual([...HUBSPOT_PIPELINE_PROPERTIES].sort());
      for (const value of Object.values(deal.properties as Obj)) expect(typeof value).toBe("string");
    }
    const amount = open.reduce((s, d) => s + d.amount_usd_minor, 0);
    const sum = deals.reduce(
      (s, d) => s + Math.round(Number((d.properties as Obj).amount_in_home_currency) * 100),
      0,
    );
    expect(sum).toBe(amount);
  });

  it("Shopify inventory: a level per stock row (available = on hand - reserved) and an item per SKU", () => {
    const r = raw("low-stock");
    const stock = [...world.warehouse.stock()];
    const levels = r.pages.flatMap((p) => (p as { inventory_levels?: Obj[] }).inventory_levels ?? []);
    const items = r.pages.flatMap((p) => (p as { inventory_items?: Obj[] }).inventory_items ?? []);
    expect(levels).toHaveLength(stock.length);
    expect(items).toHaveLength(new Set(stock.map((s) => s.sku)).size);
    expect(r.objects).toBe(levels.length + items.length);
    for (const l of levels) expect(keys(l)).toEqual([...SHOPIFY_LEVEL_KEYS].sort());
    for (const i of items) expect(keys(i)).toEqual([...SHOPIFY_ITEM_KEYS].sort());
    const available = stock.reduce((s, x) => s + x.on_hand - x.reserved, 0);
    expect(levels.reduce((s, l) => s + (l.available as number), 0)).toBe(available);
    // Every level's item is among the items fetched.
    const itemIds = new Set(items.map((i) => i.id));
    for (const l of levels) expect(itemIds.has(l.inventory_item_id)).toBe(true);
  });

  it("Stripe subscriptions: the active ones and those canceled this month, with items, price and plan", () => {
    const r = raw("mrr");
    const month = `${world.asOf.slice(0, 7)}-01`;
    const subs = [...world.billing.subscriptions()];
    const needed = subs.filter((s) => s.status === "active" || (s.cancelled_on ?? "") >= month);
    expect(r.objects).toBe(needed.length);
    const listed = r.pages.flatMap((p) => (p as { data: Obj[] }).data);
    expect(listed).toHaveLength(needed.length);
    for (const sub of listed) {
      expect(keys(sub)).toEqual([...STRIPE_SUBSCRIPTION_KEYS].sort());
      const [item] = (sub.items as { data: Obj[] }).data;
      expect(keys(item)).toEqual([...STRIPE_SUBSCRIPTION_ITEM_KEYS].sort());
    }
    const mrr = subs.filter((s) => s.status === "active").reduce((s, x) => s + x.price_minor, 0);
    const priced = listed
      .filter((s) => s.status === "active")
      .map((s) => (s.items as { data: Array<{ quantity: number; price: { unit_amount: number } }> }).data[0]);
    // Unit price × seats rounds per subscription; within a minor unit per seat of the world's MRR.
    const fromStripe = priced.reduce((s, i) => s + (i?.quantity ?? 0) * (i?.price.unit_amount ?? 0), 0);
    const seats = priced.reduce((s, i) => s + (i?.quantity ?? 0), 0);
    expect(Math.abs(fromStripe - mrr)).toBeLessThanOrEqual(seats);
  });

  it("Shopify order: the order the pack is asked about, every documented key, one line item per order line", () => {
    const q = ANSWER_QUESTIONS.find((x) => x.id === "order-status");
    const args = q?.args(world) as { order_ids: string[] };
    const r = raw("order-status");
    const order = (r.pages[0] as { order: Obj }).order;
    expect(keys(order)).toEqual([...SHOPIFY_ORDER_KEYS].sort());
    const bundle = [...world.erp.salesOrderBundles()].find((b) => b.order.id === args.order_ids[0]);
    expect(bundle).toBeDefined();
    const lines = order.line_items as Obj[];
    expect(lines.map((l) => l.sku)).toEqual(bundle?.lines.map((l) => l.sku));
    for (const line of lines) expect(keys(line)).toEqual([...SHOPIFY_LINE_ITEM_KEYS].sort());
    expect(order.fulfillment_status).toBe(bundle?.order.status === "shipped" ? "fulfilled" : null);
  });

  it("hostile names still make valid slugs and JSON", () => {
    for (const name of ['"; DROP TABLE x; --', "\u0000\u202e", "Ünïcödé GmbH & Co.", "", "../../etc"]) {
      expect(slug(name)).toMatch(/^[a-z0-9-]+$/);
    }
    const [deal] = world.crm.deals();
    if (!deal) throw new Error("no deal");
    const hostile = hubspotDeal({ ...deal, name: '"}\u2028</script>' });
    expect(JSON.parse(JSON.stringify(hostile)).properties.dealname).toBe('"}\u2028</script>');
  });
});

describe("measureAnswerSizes", () => {
  it("asks every question of its pack tool and counts both sides", async () => {
    const sizes = await measureAnswerSizes({ scale: 1_000, seed: 7 });
    expect(sizes.rows.map((r) => r.id)).toEqual(ANSWER_QUESTIONS.map((q) => q.id));
    for (const row of sizes.rows) {
      expect(row.packTokens).toBeGreaterThan(0);
      expect(row.rawTokens).toBeGreaterThan(0);
      expect(row.pages).toBeGreaterThan(0);
      expect(JSON.parse(row.packText)).toHaveProperty("as_of", sizes.asOf);
    }
  });
});

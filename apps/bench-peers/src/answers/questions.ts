/**
 * Five typical questions, each answered two ways: by one pack tool (its real answer, on the seeded
 * world), and by the raw vendor objects a generic MCP server wrapping the vendor's API hands the
 * model for the same question. The raw side is built from the same world's rows and sized as the
 * question needs: the fewest objects a model must page through to answer it (a lower bound: a
 * model that cannot filter server-side reads more).
 */
import {
  type BillingAccount,
  type BillingPlan,
  dayOf,
  HISTORY_DAYS,
  isoDate,
  OPEN_STAGES,
  PLANS,
  type Product,
  type WarehouseShipment,
  type World,
} from "@toolpacks/world";
import {
  HUBSPOT_PIPELINE_PROPERTIES,
  HUBSPOT_STAGE,
  hubspotDeal,
  hubspotSearchPages,
} from "./vendor/hubspot.js";
import {
  SHOPIFY_ITEMS_PAGE,
  SHOPIFY_LEVELS_PAGE,
  shopifyInventoryItem,
  shopifyInventoryLevel,
  shopifyOrder,
} from "./vendor/shopify.js";
import { stripeInvoice, stripePages, stripeSubscription } from "./vendor/stripe.js";

/** What a generic MCP server over the vendor's API returns for a question. */
export interface RawAnswer {
  /** Vendor and object, e.g. "Stripe Invoice". */
  api: string;
  /** The API calls, e.g. "GET /v1/invoices?status=open&limit=100". */
  requests: string[];
  /** Objects returned over all pages. */
  objects: number;
  /** Each response body, in order (one tool result each). */
  pages: unknown[];
  /** One object as returned, for the report (undefined when there are none). */
  sample: unknown;
  /** What the raw objects still lack to answer the question (the model must fetch or guess it). */
  missing?: string;
}

/** One question: the pack tool that answers it and the raw objects that would instead. */
export interface AnswerQuestion {
  id: string;
  question: string;
  pack: "billing" | "crm" | "erp" | "warehouse";
  tool: string;
  args(world: World): Record<string, unknown>;
  raw(world: World): RawAnswer;
}

function accountsById(world: World): Map<string, BillingAccount> {
  return new Map([...world.billing.accounts()].map((a) => [a.id, a]));
}

/** The shipped order with the most lines (the fullest status a model could ask about), else the first order. */
function sampleOrder(world: World) {
  let best: ReturnType<typeof firstBundle> | undefined;
  for (const bundle of world.erp.salesOrderBundles()) {
    if (bundle.order.status !== "shipped") continue;
    if (!best || bundle.lines.length > best.lines.length) best = bundle;
    if (best.lines.length >= 4) break;
  }
  return best ?? firstBundle(world);
}

function firstBundle(world: World) {
  for (const bundle of world.erp.salesOrderBundles()) return bundle;
  throw new Error("the world has no sales order; use a larger scale");
}

export const ANSWER_QUESTIONS: readonly AnswerQuestion[] = [
  {
    id: "ar-overdue-by-customer",
    question: "How much of our receivables is overdue, by age, and which 10 customers owe the most?",
    pack: "billing",
    tool: "ar_aging",
    args: () => ({ limit: 10 }),
    raw(world) {
      const accounts = accountsById(world);
      const invoices = [];
      for (const bundle of world.billing.invoiceBundles()) {
        if (bundle.invoice.status === "paid") continue;
        const account = accounts.get(bundle.invoice.account_id);
        if (account) invoices.push(stripeInvoice(bundle, account, world.asOf));
      }
      // Stripe lists newest first.
      invoices.sort((a, b) => b.created - a.created);
      return {
        api: "Stripe Invoice",
        requests: ["GET /v1/invoices?status=open&limit=100 (and each next page with starting_after)"],
        objects: invoices.length,
        pages: stripePages(invoices, "/v1/invoices"),
        sample: invoices[0],
      };
    },
  },
  {
    id: "pipeline-by-stage",
    question: "What is in the open pipeline, by stage: deals, amount and weighted amount?",
    pack: "crm",
    tool: "pipeline_summary",
    args: () => ({}),
    raw(world) {
      const deals = [];
      for (const deal of world.crm.deals()) {
        if ((OPEN_STAGES as readonly string[]).includes(deal.stage)) deals.push(hubspotDeal(deal));
      }
      const stages = OPEN_STAGES.map((s) => HUBSPOT_STAGE[s]).join(",");
      return {
        api: "HubSpot CRM v3 deal",
        requests: [
          `POST /crm/v3/objects/deals/search {filterGroups: dealstage IN [${stages}], properties: [${HUBSPOT_PIPELINE_PROPERTIES.join(",")}], limit: 200} (and each next page with after)`,
        ],
        objects: deals.length,
        pages: hubspotSearchPages(deals),
        sample: deals[0],
        missing:
          "stage labels (GET /crm/v3/pipelines/deals) and currency rates for amounts in other currencies",
      };
    },
  },
  {
    id: "low-stock",
    question: "Which stock (SKU at a location) is below its reorder point, worst first?",
    pack: "warehouse",
    tool: "low_stock",
    args: () => ({}),
    raw(world) {
      const levels = [...world.warehouse.stock()].map((s) => shopifyInventoryLevel(s, world.asOf));
      const skus = new Set([...world.warehouse.stock()].map((s) => s.sku));
      const created = isoDate(dayOf(world.asOf) - HISTORY_DAYS);
      const items = world
        .products()
        .filter((p: Product) => skus.has(p.sku))
        .map((p) => shopifyInventoryItem(p, created));
      const pages: unknown[] = [];
      for (let i = 0; i < levels.length; i += SHOPIFY_LEVELS_PAGE) {
        pages.push({ inventory_levels: levels.slice(i, i + SHOPIFY_LEVELS_PAGE) });
      }
      for (let i = 0; i < items.length; i += SHOPIFY_ITEMS_PAGE) {
        pages.push({ inventory_items: items.slice(i, i + SHOPIFY_ITEMS_PAGE) });
      }
      return {
        api: "Shopify InventoryLevel + InventoryItem",
        requests: [
          `GET /admin/api/2025-01/inventory_levels.json?location_ids=<all ${world.locations().length}>&limit=250 (and each next page from the Link header)`,
          "GET /admin/api/2025-01/inventory_items.json?ids=<100 at a time> (the SKU behind each inventory_item_id)",
        ],
        objects: levels.length + items.length,
        pages,
        sample: { inventory_level: levels[0], inventory_item: items[0] },
        missing: "reorder points (Shopify has none) and daily usage (inventory adjustment history)",
      };
    },
  },
  {
    id: "mrr",
    question: "What is our MRR this month, and what moved it (new, churn)?",
    pack: "billing",
    tool: "mrr_summary",
    args: () => ({}),
    raw(world) {
      const monthStart = `${world.asOf.slice(0, 7)}-01`;
      const plans = new Map<string, BillingPlan>(PLANS.map((p) => [p.id, p]));
      const active = [];
      const churned = [];
      for (const sub of world.billing.subscriptions()) {
        const plan = plans.get(sub.plan_id);
        if (!plan) continue;
        if (sub.status === "active") active.push(stripeSubscription(sub, plan, world.asOf));
        else if (sub.cancelled_on && sub.cancelled_on >= monthStart) {
          churned.push(stripeSubscription(sub, plan, world.asOf));
        }
      }
      return {
        api: "Stripe Subscription",
        requests: [
          "GET /v1/subscriptions?status=active&limit=100 (and each next page)",
          "GET /v1/subscriptions?status=canceled&limit=100 (only those canceled this month counted; Stripe cannot filter by canceled_at)",
        ],
        objects: active.length + churned.length,
        pages: [...stripePages(active, "/v1/subscriptions"), ...stripePages(churned, "/v1/subscriptions")],
        sample: active[0] ?? churned[0],
        missing: "currency rates to sum MRR across currencies",
      };
    },
  },
  {
    id: "order-status",
    question: "Where is this order: status, ship date, lines?",
    pack: "erp",
    tool: "order_status",
    args: (world) => ({ order_ids: [sampleOrder(world).order.id] }),
    raw(world) {
      const { order, lines } = sampleOrder(world);
      const customer = world.customers().find((c) => c.id === order.customer_id);
      if (!customer) throw new Error(`order ${order.id} has no customer ${order.customer_id} in the world`);
      let shipment: WarehouseShipment | undefined;
      for (const s of world.warehouse.shipments()) {
        if (s.sales_order_id === order.id) {
          shipment = s;
          break;
        }
      }
      const products = new Map(world.products().map((p) => [p.sku, p]));
      const body = { order: shopifyOrder(order, lines, { customer, products, shipment }) };
      return {
        api: "Shopify Order",
        requests: ["GET /admin/api/2025-01/orders/{id}.json"],
        objects: 1,
        pages: [body],
        sample: body.order,
      };
    },
  },
];

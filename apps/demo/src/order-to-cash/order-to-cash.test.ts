import type { Store } from "@toolpacks/pack-kit";
import { createGovernance, type Governance } from "@toolpacks/runtime";
import { checkWorldInvariants } from "@toolpacks/world";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeWithRunId } from "../codemode/execute.js";
import { callRecorder } from "../codemode/recorder.js";
import { type CodeModeSession, openCodeModeSession } from "../codemode/session.js";
import { DEMO_POLICY, DEMO_ROLE } from "../demo/policy.js";
import { ALL_PACKS } from "../packs/session.js";
import { loadOrderToCashProgram, type OrderToCashAnswer } from "./program.js";
import {
  invoicedWhileOverdue,
  invoiceMismatches,
  orderFulfilment,
  purchaseNeeds,
  storeFacts,
  type WriteCounts,
  writeCounts,
} from "./world-check.js";

// End to end (issue #6): the order-to-cash program in code mode over all four packs on one shared
// store, the world checked straight from the store afterwards, then the program run again.
const RUN_ID = "order-to-cash-e2e";

describe("order to cash across CRM, ERP, warehouse and billing", () => {
  let session: CodeModeSession;
  let store: Store;
  let program: string;
  let asOf: string;
  let shortSku: string;
  let first: OrderToCashAnswer;
  let afterFirst: WriteCounts;
  let governance: Governance;
  const recorder = callRecorder();

  beforeAll(async () => {
    // The demo's own policy, stated: with none, every write would wait for an approver.
    governance = createGovernance({
      policy: DEMO_POLICY,
      role: DEMO_ROLE,
      principal: "e2e",
      tracer: false,
    });
    session = await openCodeModeSession(ALL_PACKS, {
      scale: 10_000,
      seed: 1,
      middleware: [governance.middleware, recorder.middleware],
      preflight: governance.preflight,
    });
    store = session.opened.store;
    program = await loadOrderToCashProgram();
    asOf = (
      await store.first<{ d: string }>(
        "SELECT MAX(close_date) AS d FROM crm_deals WHERE stage = 'closed_won'",
      )
    )?.d as string;
    // Make one SKU of a won deal that has no order yet unavailable everywhere, so the run meets a
    // shortage and must raise a purchase need instead of reserving.
    const deal = await store.first<{ sku: string }>(
      `SELECT l.sku FROM crm_deals d JOIN crm_deal_lines l ON l.deal_id = d.id
       WHERE d.stage = 'closed_won' AND d.close_date LIKE '2026-06-%'
         AND d.id NOT IN (SELECT deal_id FROM erp_sales_orders) ORDER BY d.id, l.line_no LIMIT 1`,
    );
    shortSku = deal?.sku as string;
    await store.run("UPDATE wh_stock SET on_hand = reserved WHERE sku = ?", [shortSku]);
    const run = await executeWithRunId(session, program, RUN_ID);
    expect(run.error).toBeUndefined();
    first = run.result as OrderToCashAnswer;
    afterFirst = await writeCounts(store);
    await governance.endRun(RUN_ID);
  });
  afterAll(async () => {
    await session?.close();
  });

  it("creates an order for every June deal that had none, and no deal has two", async () => {
    expect(first.orders_created.length).toBeGreaterThan(0);
    const rows = await store.all<{ id: string; orders: number }>(
      `SELECT d.id, (SELECT COUNT(*) FROM erp_sales_orders o WHERE o.deal_id = d.id) AS orders
       FROM crm_deals d WHERE d.stage = 'closed_won' AND d.close_date LIKE '2026-06-%'`,
    );
    expect(rows.length).toBe(first.deals_won);
    expect(rows.every((r) => r.orders === 1)).toBe(true);
  });

  it("starts from a coherent world: every seeded fact agrees across the four packs' stores", async () => {
    // Checked on a fresh session: the run below has already changed this one.
    const fresh = await openCodeModeSession(ALL_PACKS, { scale: 10_000, seed: 1 });
    try {
      const s = fresh.opened.store;
      expect(checkWorldInvariants(await storeFacts({ crm: s, erp: s, warehouse: s, billing: s }))).toEqual(
        [],
      );
    } finally {
      await fresh.close();
    }
  });

  it("leaves the four stores coherent: every shipped order is shipped in the ERP and invoiced or held", async () => {
    const facts = await storeFacts(
      { crm: store, erp: store, warehouse: store, billing: store },
      first.held_for_overdue.map((h) => h.order_id),
    );
    expect(checkWorldInvariants(facts)).toEqual([]);
    expect(first.shipped.length).toBeGreaterThan(0);
    for (const orderId of first.shipped) {
      expect(facts.salesOrders.find((o) => o.id === orderId)?.status).toBe("shipped");
      expect(facts.shipments.some((s) => s.sales_order_id === orderId)).toBe(true);
    }
    // Without the held list, the held orders are exactly what the invariant reports.
    const unheld = checkWorldInvariants({ ...facts, heldOrderIds: [] });
    expect(unheld.map((v) => v.subject).sort()).toEqual(first.held_for_overdue.map((h) => h.order_id).sort());
  });

  it("leaves each new order either reserved, shipped and recorded in the ERP, or backordered with a purchase need", async () => {
    const backordered = new Set(first.backordered.map((b) => b.order_id));
    expect(backordered.size).toBeGreaterThan(0);
    for (const orderId of first.orders_created) {
      const f = await orderFulfilment(store, orderId);
      if (backordered.has(orderId)) {
        expect(f.status).toBe("draft");
        expect(f.reserved).toEqual({});
        const need = first.backordered.find((b) => b.order_id === orderId);
        expect(need?.purchase_orders.length).toBeGreaterThan(0);
        for (const po of need?.purchase_orders ?? []) {
          const row = await store.first<{ sku: string; status: string }>(
            "SELECT sku, status FROM erp_purchase_orders WHERE id = ?",
            [po],
          );
          expect(row?.status).toBe("open");
          expect(f.ordered[row?.sku ?? ""]).toBeGreaterThan(0);
        }
        expect(await purchaseNeeds(store, shortSku, asOf)).toBeGreaterThan(0);
      } else {
        expect(f.status).toBe("shipped");
        expect(f.reserved).toEqual({});
        expect(f.shipped).toEqual(f.ordered);
        expect(first.shipped).toContain(orderId);
      }
    }
  });

  it("invoices each order exactly as ordered, and no account with an overdue balance", async () => {
    expect(first.invoiced.length).toBeGreaterThan(0);
    const invoicedOrders = await store.all<{ sales_order_id: string }>(
      "SELECT sales_order_id FROM billing_invoices WHERE id IN (" +
        first.invoiced.map(() => "?").join(", ") +
        ")",
      first.invoiced,
    );
    expect(
      await invoiceMismatches(
        store,
        invoicedOrders.map((r) => r.sales_order_id),
      ),
    ).toEqual([]);
    expect(await invoicedWhileOverdue(store, first.invoiced, asOf)).toEqual([]);
    for (const held of first.held_for_overdue) {
      const invoice = await store.first("SELECT id FROM billing_invoices WHERE sales_order_id = ?", [
        held.order_id,
      ]);
      expect(invoice).toBeUndefined();
    }
  });

  it("sends every write with an idempotency key from governance", () => {
    const writes = recorder.calls.filter((c) => c.runId === RUN_ID && c.kind === "write");
    expect(writes.length).toBeGreaterThan(first.orders_created.length);
    expect(writes.every((c) => c.idempotencyKey?.startsWith("tp1_"))).toBe(true);
  });

  it("lists the owners to notify, one line per deal that changed", () => {
    const lines = first.notify.flatMap((n) => n.lines);
    expect(lines.length).toBeGreaterThanOrEqual(first.orders_created.length);
    expect(lines.some((l) => l.includes("waits for stock"))).toBe(true);
  });

  it("writes nothing twice when run again with the same run id, or with a new one", async () => {
    const again = await executeWithRunId(session, program, RUN_ID);
    expect(again.error).toBeUndefined();
    expect(await writeCounts(store)).toEqual(afterFirst);
    const answer = again.result as OrderToCashAnswer;
    expect(answer.orders_created).toEqual([]);
    expect(answer.shipped).toEqual([]);
    expect(answer.invoiced).toEqual([]);
    expect(answer.deals_won).toBe(first.deals_won);
    const third = await executeWithRunId(session, program, `${RUN_ID}-new`);
    expect(third.error).toBeUndefined();
    expect(await writeCounts(store)).toEqual(afterFirst);
    expect((third.result as OrderToCashAnswer).backordered.map((b) => b.order_id)).toEqual(
      first.backordered.map((b) => b.order_id),
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkWorldInvariants, type WorldFacts, worldFacts } from "./invariants.js";
import { createWorld } from "./world.js";

const invariantsOf = (facts: WorldFacts) => [...new Set(checkWorldInvariants(facts).map((v) => v.invariant))];

describe("world invariants over generated worlds", () => {
  it("hold for every seed, scale and date (small worlds)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 1_000, max: 3_000 }),
        fc.integer({ min: 0, max: 400 }),
        (seed, scale, daysBack) => {
          const asOf = new Date(Date.UTC(2026, 5, 30) - daysBack * 86_400_000).toISOString().slice(0, 10);
          const facts = worldFacts(createWorld({ scale, seed, asOf }));
          expect(checkWorldInvariants(facts)).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("hold in a world large enough to have many confirmed orders, receipts and same-day activities", () => {
    const facts = worldFacts(createWorld({ scale: 30_000, seed: 1 }));
    expect(facts.reservations.length).toBeGreaterThan(10);
    expect(facts.stock.some((s) => s.reserved > 0)).toBe(true);
    expect(facts.movements.filter((m) => m.kind === "receipt").length).toBeGreaterThan(50);
    const issues = facts.movements.filter((m) => m.kind === "issue");
    expect(new Set(issues.map((m) => m.reference)).size).toBe(facts.shipments.length);
    expect(facts.salesOrders.some((o) => o.status === "confirmed")).toBe(true);
    expect(checkWorldInvariants(facts)).toEqual([]);
  });
});

// Each rule must be able to fail: one fact broken the way the issue found it, one rule reported.
describe("world invariants find each incoherence", () => {
  const base = worldFacts(createWorld({ scale: 20_000, seed: 2 }));
  const confirmed = base.salesOrders.find((o) => o.status === "confirmed")!;
  const shipped = base.salesOrders.find((o) => o.status === "shipped")!;

  it("reserved units with no reservation behind them", () => {
    const row = base.stock.find((s) => s.reserved === 0)!;
    const stock = base.stock.map((s) => (s === row ? { ...s, reserved: 5 } : s));
    expect(invariantsOf({ ...base, stock })).toEqual(["reserved_units_have_reservations"]);
  });

  it("a confirmed order without its reservation (and its units left reserved)", () => {
    const reservations = base.reservations.filter((r) => r.order_id !== confirmed.id);
    expect(invariantsOf({ ...base, reservations })).toEqual([
      "reserved_units_have_reservations",
      "confirmed_orders_hold_reservations",
    ]);
  });

  it("a shipment the ERP still lists as confirmed", () => {
    // A whole shipment of the order, with its issues, so only the ERP's status disagrees.
    const lines = base.salesOrderLines.filter((l) => l.order_id === confirmed.id);
    const shipment = {
      id: "SHP-X",
      sales_order_id: confirmed.id,
      location_id: "WH-01",
      units: lines.reduce((n, l) => n + l.quantity, 0),
    };
    const issues = lines.map((l, i) => ({
      id: `MV-SHP-X-${i + 1}`,
      kind: "issue",
      sku: l.sku,
      location_id: "WH-01",
      quantity: -l.quantity,
      reference: "SHP-X",
    }));
    const shipments = [...base.shipments, shipment];
    const movements = [...base.movements, ...issues];
    expect(invariantsOf({ ...base, shipments, movements })).toEqual(["shipments_match_erp"]);
    const violations = checkWorldInvariants({ ...base, shipments, movements });
    expect(violations.map((v) => [v.invariant, v.subject])).toEqual([["shipments_match_erp", confirmed.id]]);
  });

  it("a shipped order with no invoice, unless it is held", () => {
    const invoices = base.invoices.filter((i) => i.sales_order_id !== shipped.id);
    expect(invariantsOf({ ...base, invoices })).toEqual(["shipped_orders_invoiced_or_held"]);
    expect(invariantsOf({ ...base, invoices, heldOrderIds: [shipped.id] })).toEqual([]);
  });

  it("a receipt whose SKU or quantity differs from its purchase order", () => {
    const receipt = base.movements.find((m) => m.kind === "receipt")!;
    const movements = base.movements.map((m) => (m === receipt ? { ...m, quantity: m.quantity + 1 } : m));
    expect(invariantsOf({ ...base, movements })).toEqual(["receipts_match_purchase_orders"]);
    const other = base.purchaseOrders.find((p) => p.sku !== receipt.sku)!;
    const wrongPo = base.movements.map((m) => (m === receipt ? { ...m, reference: other.id } : m));
    expect(invariantsOf({ ...base, movements: wrongPo })).toEqual(["receipts_match_purchase_orders"]);
  });

  it("an issue movement with no shipment behind it, or issued from another location", () => {
    const issue = base.movements.find((m) => m.kind === "issue")!;
    const stray = { ...issue, id: "MV-STRAY", reference: "SHP-NOPE" };
    const violations = checkWorldInvariants({ ...base, movements: [...base.movements, stray] });
    expect(violations.map((v) => [v.invariant, v.subject])).toEqual([["issues_match_shipments", "MV-STRAY"]]);
    const untied = base.movements.map((m) => (m === issue ? { ...m, reference: null } : m));
    expect(invariantsOf({ ...base, movements: untied })).toEqual(["issues_match_shipments"]);
    const elsewhere = base.movements.map((m) =>
      m === issue ? { ...m, location_id: m.location_id === "WH-01" ? "WH-02" : "WH-01" } : m,
    );
    expect(checkWorldInvariants({ ...base, movements: elsewhere }).map((v) => v.subject)).toEqual([issue.id]);
  });

  it("a shipment whose issues do not take out its units or its order's lines", () => {
    const issue = base.movements.find((m) => m.kind === "issue")!;
    const missing = base.movements.filter((m) => m !== issue);
    const subjects = checkWorldInvariants({ ...base, movements: missing }).map((v) => [
      v.invariant,
      v.subject,
    ]);
    expect(subjects).toContainEqual(["issues_match_shipments", issue.reference]);
    expect(invariantsOf({ ...base, movements: missing })).toEqual(["issues_match_shipments"]);
    // Same units, wrong SKU: the shipment's count agrees, its order's lines do not.
    const other = base.items.find((i) => i.sku !== issue.sku)!.sku;
    const swapped = base.movements.map((m) => (m === issue ? { ...m, sku: other } : m));
    const order = base.shipments.find((s) => s.id === issue.reference)!.sales_order_id;
    expect(
      checkWorldInvariants({ ...base, movements: swapped }).map((v) => [v.invariant, v.subject]),
    ).toEqual([["issues_match_shipments", order]]);
  });

  it("a deal line whose SKU is not an item, or has no stock rows", () => {
    const reservedSkus = new Set(base.stock.filter((s) => s.reserved > 0).map((s) => s.sku));
    const sku = base.dealLines.find((l) => !reservedSkus.has(l.sku))!.sku;
    const items = base.items.filter((i) => i.sku !== sku);
    expect(invariantsOf({ ...base, items })).toEqual(["deal_skus_stocked"]);
    const stock = base.stock.filter((s) => s.sku !== sku);
    expect(invariantsOf({ ...base, stock })).toEqual(["deal_skus_stocked"]);
  });

  it("a last_activity_at that is not the latest activity", () => {
    const deal = base.deals.find((d) => d.last_activity_at !== null)!;
    const activities = [
      ...base.activities,
      { deal_id: deal.id, occurred_at: `${deal.last_activity_at!.slice(0, 11)}23:59:00Z` },
    ];
    expect(invariantsOf({ ...base, activities })).toEqual(["last_activity_is_latest"]);
  });
});

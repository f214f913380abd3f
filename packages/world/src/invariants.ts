import type { World } from "./world.js";

/**
 * The rows the cross-system invariants read, in the shape every system stores them (the world's
 * generators and the packs' tables both fit). Only the columns a rule needs are named, so the same
 * check runs over a generated world and over four stores after programs wrote to them.
 */
export interface WorldFacts {
  stock: ReadonlyArray<{ sku: string; location_id: string; reserved: number }>;
  reservations: ReadonlyArray<{ id: string; order_id: string; status: string }>;
  reservationLines: ReadonlyArray<{
    reservation_id: string;
    sku: string;
    location_id: string;
    quantity: number;
  }>;
  items: ReadonlyArray<{ sku: string }>;
  /** ERP sales orders; status `draft`, `confirmed` or `shipped`. */
  salesOrders: ReadonlyArray<{ id: string; status: string }>;
  salesOrderLines: ReadonlyArray<{ order_id: string; sku: string; quantity: number }>;
  purchaseOrders: ReadonlyArray<{
    id: string;
    sku: string;
    location_id: string;
    quantity: number;
    status: string;
  }>;
  movements: ReadonlyArray<{
    id: string;
    kind: string;
    sku: string;
    location_id: string;
    quantity: number;
    reference: string | null;
  }>;
  shipments: ReadonlyArray<{ id: string; sales_order_id: string; location_id: string; units: number }>;
  invoices: ReadonlyArray<{ id: string; sales_order_id: string | null }>;
  /** Orders deliberately not invoiced (their account had an overdue balance); a world generates none. */
  heldOrderIds?: ReadonlyArray<string>;
  dealLines: ReadonlyArray<{ deal_id: string; sku: string }>;
  deals: ReadonlyArray<{ id: string; last_activity_at: string | null }>;
  activities: ReadonlyArray<{ deal_id: string; occurred_at: string }>;
}

/** The invariants, each a fact two systems must agree on. */
export const WORLD_INVARIANTS = {
  reserved_units_have_reservations:
    "every stock row's reserved units equal the sum of the active reservation lines at that SKU and location",
  confirmed_orders_hold_reservations:
    "every confirmed ERP order holds an active reservation of exactly its lines (SKU and quantity)",
  shipments_match_erp:
    "an ERP order is shipped exactly when the warehouse has a shipment for it, and holds no active reservation",
  shipped_orders_invoiced_or_held:
    "every shipped order has an invoice, or is held for its account's overdue balance",
  receipts_match_purchase_orders:
    "every receipt movement references a received purchase order of the same SKU, location and quantity, once",
  issues_match_shipments:
    "every issue movement references a shipment at its location, each shipment's issues take out exactly its units, and an order's shipments together issue exactly its lines (SKU and quantity)",
  deal_skus_stocked: "every deal line's SKU is an ERP item with stock rows in the warehouse",
  last_activity_is_latest:
    "every deal's last_activity_at is the latest occurred_at of its activities (null if none)",
} as const;

/** Name of one invariant. */
export type WorldInvariant = keyof typeof WORLD_INVARIANTS;

/** One broken invariant: which rule, which row, and what disagrees. */
export interface InvariantViolation {
  invariant: WorldInvariant;
  subject: string;
  detail: string;
}

const key = (sku: string, location: string) => `${sku}|${location}`;

function groupBy<T>(rows: ReadonlyArray<T>, keyOf: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/** Units per SKU of some lines, as a canonical string (`SKU-1:3,SKU-2:1`) for comparison. */
function unitsBySku(lines: ReadonlyArray<{ sku: string; quantity: number }>): string {
  const units = new Map<string, number>();
  for (const l of lines) units.set(l.sku, (units.get(l.sku) ?? 0) + l.quantity);
  return [...units]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sku, n]) => `${sku}:${n}`)
    .join(",");
}

/**
 * Checks every cross-system invariant over `facts` and returns each violation (empty when the
 * systems agree). Pure and total: any rows in, a list out, nothing thrown.
 */
export function checkWorldInvariants(facts: WorldFacts): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const push = (invariant: WorldInvariant, subject: string, detail: string) =>
    out.push({ invariant, subject, detail });

  const active = facts.reservations.filter((r) => r.status === "active");
  const activeIds = new Set(active.map((r) => r.id));
  const activeLines = facts.reservationLines.filter((l) => activeIds.has(l.reservation_id));
  const held = new Map<string, number>();
  for (const l of activeLines)
    held.set(key(l.sku, l.location_id), (held.get(key(l.sku, l.location_id)) ?? 0) + l.quantity);
  const stockKeys = new Set<string>();
  for (const s of facts.stock) {
    const k = key(s.sku, s.location_id);
    stockKeys.add(k);
    const reserved = held.get(k) ?? 0;
    if (s.reserved !== reserved) {
      push(
        "reserved_units_have_reservations",
        k,
        `stock reserves ${s.reserved} units, active reservations hold ${reserved}`,
      );
    }
  }
  for (const k of held.keys()) {
    if (!stockKeys.has(k))
      push(
        "reserved_units_have_reservations",
        k,
        "an active reservation holds units of a stock row that does not exist",
      );
  }

  const orderLines = groupBy(facts.salesOrderLines, (l) => l.order_id);
  const linesOfReservation = groupBy(activeLines, (l) => l.reservation_id);
  const activeByOrder = groupBy(active, (r) => r.order_id);
  const shipmentsByOrder = groupBy(facts.shipments, (s) => s.sales_order_id);
  const orders = new Map(facts.salesOrders.map((o) => [o.id, o]));
  for (const order of facts.salesOrders) {
    const reservations = activeByOrder.get(order.id) ?? [];
    if (order.status === "confirmed") {
      const reservation = reservations[0];
      if (!reservation) {
        push(
          "confirmed_orders_hold_reservations",
          order.id,
          "confirmed in the ERP, but no active reservation in the warehouse",
        );
      } else {
        const want = unitsBySku(orderLines.get(order.id) ?? []);
        const got = unitsBySku(linesOfReservation.get(reservation.id) ?? []);
        if (want !== got) {
          push(
            "confirmed_orders_hold_reservations",
            order.id,
            `order lines ${want}, reservation ${reservation.id} holds ${got}`,
          );
        }
      }
    }
    const shipped = shipmentsByOrder.has(order.id);
    if (shipped !== (order.status === "shipped")) {
      push(
        "shipments_match_erp",
        order.id,
        shipped
          ? `the warehouse shipped it, the ERP says ${order.status}`
          : "the ERP says shipped, the warehouse has no shipment",
      );
    }
    if (order.status === "shipped" && reservations.length > 0) {
      push(
        "shipments_match_erp",
        order.id,
        `shipped, yet reservation ${reservations[0]!.id} still holds stock`,
      );
    }
  }
  for (const [orderId] of shipmentsByOrder) {
    if (!orders.has(orderId))
      push("shipments_match_erp", orderId, "the warehouse shipped an order the ERP does not have");
  }

  const invoiced = new Set(facts.invoices.map((i) => i.sales_order_id).filter((id) => id !== null));
  const heldOrders = new Set(facts.heldOrderIds ?? []);
  for (const order of facts.salesOrders) {
    if (order.status !== "shipped" || invoiced.has(order.id) || heldOrders.has(order.id)) continue;
    push(
      "shipped_orders_invoiced_or_held",
      order.id,
      "shipped, but neither invoiced nor held for an overdue balance",
    );
  }

  const pos = new Map(facts.purchaseOrders.map((p) => [p.id, p]));
  const received = new Set<string>();
  for (const m of facts.movements) {
    if (m.kind !== "receipt") continue;
    const po = m.reference === null ? undefined : pos.get(m.reference);
    if (!po) {
      push(
        "receipts_match_purchase_orders",
        m.id,
        `references ${m.reference ?? "no purchase order"}, which the ERP does not have`,
      );
      continue;
    }
    const mismatch: string[] = [];
    if (po.status !== "received") mismatch.push(`PO is ${po.status}`);
    if (po.sku !== m.sku) mismatch.push(`SKU ${m.sku} vs PO ${po.sku}`);
    if (po.location_id !== m.location_id) mismatch.push(`location ${m.location_id} vs PO ${po.location_id}`);
    if (po.quantity !== m.quantity) mismatch.push(`quantity ${m.quantity} vs PO ${po.quantity}`);
    if (received.has(po.id)) mismatch.push(`${po.id} was already received`);
    received.add(po.id);
    if (mismatch.length > 0) push("receipts_match_purchase_orders", m.id, `${po.id}: ${mismatch.join("; ")}`);
  }

  checkIssues(facts, orderLines, push);

  const items = new Set(facts.items.map((i) => i.sku));
  const stocked = new Set(facts.stock.map((s) => s.sku));
  for (const l of facts.dealLines) {
    if (!items.has(l.sku)) push("deal_skus_stocked", l.deal_id, `line SKU ${l.sku} is not an ERP item`);
    else if (!stocked.has(l.sku)) push("deal_skus_stocked", l.deal_id, `line SKU ${l.sku} has no stock row`);
  }

  const latest = new Map<string, string>();
  for (const a of facts.activities) {
    const seen = latest.get(a.deal_id);
    if (seen === undefined || a.occurred_at > seen) latest.set(a.deal_id, a.occurred_at);
  }
  for (const d of facts.deals) {
    const want = latest.get(d.id) ?? null;
    if (d.last_activity_at !== want) {
      push(
        "last_activity_is_latest",
        d.id,
        `last_activity_at ${d.last_activity_at}, latest activity ${want}`,
      );
    }
  }
  return out;
}

/**
 * Issue movements against shipments: each issue names a shipment and leaves from its location;
 * a shipment's issues add up to its units; all shipments of an order issue its lines exactly.
 */
function checkIssues(
  facts: WorldFacts,
  orderLines: ReadonlyMap<string, ReadonlyArray<{ sku: string; quantity: number }>>,
  push: (invariant: WorldInvariant, subject: string, detail: string) => void,
): void {
  const shipments = new Map(facts.shipments.map((s) => [s.id, s]));
  const issuesOf = new Map<string, Array<{ sku: string; quantity: number }>>();
  for (const m of facts.movements) {
    if (m.kind !== "issue") continue;
    const shipment = m.reference === null ? undefined : shipments.get(m.reference);
    if (!shipment) {
      push(
        "issues_match_shipments",
        m.id,
        `issue of ${-m.quantity} x ${m.sku} references ${m.reference ?? "no shipment"}, which the warehouse does not have`,
      );
      continue;
    }
    const mismatch: string[] = [];
    if (m.location_id !== shipment.location_id)
      mismatch.push(`location ${m.location_id} vs shipment ${shipment.location_id}`);
    if (m.quantity >= 0) mismatch.push(`quantity ${m.quantity} does not take units out`);
    if (mismatch.length > 0) push("issues_match_shipments", m.id, `${shipment.id}: ${mismatch.join("; ")}`);
    const list = issuesOf.get(shipment.id) ?? [];
    list.push({ sku: m.sku, quantity: -m.quantity });
    issuesOf.set(shipment.id, list);
  }
  const issuedByOrder = new Map<string, Array<{ sku: string; quantity: number }>>();
  for (const s of facts.shipments) {
    const issued = issuesOf.get(s.id) ?? [];
    const units = issued.reduce((n, l) => n + l.quantity, 0);
    if (units !== s.units)
      push("issues_match_shipments", s.id, `ships ${s.units} units, its issue movements take out ${units}`);
    issuedByOrder.set(s.sales_order_id, [...(issuedByOrder.get(s.sales_order_id) ?? []), ...issued]);
  }
  for (const [orderId, issued] of issuedByOrder) {
    const lines = orderLines.get(orderId);
    if (!lines) continue; // an order the ERP lacks: shipments_match_erp reports it
    const want = unitsBySku(lines);
    const got = unitsBySku(issued);
    if (want !== got)
      push("issues_match_shipments", orderId, `order lines ${want}, its shipments issued ${got}`);
  }
}

/** The facts of a generated world (every table read once; meant for small and medium scales). */
export function worldFacts(world: World): WorldFacts {
  const { crm, erp, warehouse, billing } = world;
  const deals: WorldFacts["deals"][number][] = [];
  const dealLines: WorldFacts["dealLines"][number][] = [];
  const activities: WorldFacts["activities"][number][] = [];
  for (const b of crm.dealBundles()) {
    deals.push(b.deal);
    dealLines.push(...b.lines);
    activities.push(...b.activities);
  }
  const salesOrders: WorldFacts["salesOrders"][number][] = [];
  const salesOrderLines: WorldFacts["salesOrderLines"][number][] = [];
  for (const b of erp.salesOrderBundles()) {
    salesOrders.push(b.order);
    salesOrderLines.push(...b.lines);
  }
  return {
    stock: [...warehouse.stock()],
    reservations: [...warehouse.reservations()],
    reservationLines: [...warehouse.reservationLines()],
    items: [...erp.items()],
    salesOrders,
    salesOrderLines,
    purchaseOrders: [...erp.purchaseOrders()],
    movements: [...warehouse.movements()],
    shipments: [...warehouse.shipments()],
    invoices: [...billing.invoices()],
    dealLines,
    deals,
    activities,
  };
}

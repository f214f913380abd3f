import type { DomainRow, RejectedRow, RowOrigin } from "@toolpacks/pack-kit";
import { appendAll } from "@toolpacks/pack-kit";
import { type Currency, toReportingMinor } from "@toolpacks/world";
import { UNKNOWN_COUNTRY } from "./parse.js";

/**
 * The records both ERP connectors read their exports into, and the ERP pack rows built from them.
 * Odoo and ERPNext differ in columns and labels only; what an order, item or partner is, and how
 * it becomes rows, is shared here.
 */

/** A customer or a supplier. */
export interface PartnerRecord {
  id: string;
  name: string;
  country: string;
  currency: Currency | undefined;
  termsDays: number;
  /** Minor units of `currency`; 0 = none. */
  creditLimit: number;
  /** Keys the identity map matches on (lower-case email, tax id without spaces); "" when absent. */
  email?: string;
  taxId?: string;
  origin: RowOrigin;
}

/** A stocked product. */
export interface ItemRecord {
  sku: string;
  name: string;
  category: string;
  cost: number;
  listPrice: number;
  currency: Currency;
  supplier: string;
  leadTimeDays: number | undefined;
  origin: RowOrigin;
  columns: Record<string, string>;
}

/** One line of an order. */
export interface LineRecord {
  /** The source's own line id (ERPNext), else `<order>/<n>`. */
  id: string | undefined;
  sku: string;
  quantity: number;
  unitPrice: number;
  origin: RowOrigin;
}

/** A sales order with its lines. */
export interface SalesOrderRecord {
  id: string;
  /** The CRM deal it came from, when the export names one. */
  dealRef: string | undefined;
  customer: string;
  status: "draft" | "confirmed" | "shipped";
  orderDate: string;
  shipDate: string | null;
  currency: Currency;
  location: string | null;
  lines: LineRecord[];
  origin: RowOrigin;
  columns: Record<string, string>;
}

/** A purchase order with its lines (one ERP purchase order row per line). */
export interface PurchaseOrderRecord {
  id: string;
  supplier: string;
  orderDate: string;
  expectedDate: string;
  status: "open" | "received" | "cancelled";
  currency: Currency;
  location: string;
  lines: LineRecord[];
  origin: RowOrigin;
  columns: Record<string, string>;
}

/** Everything one import read. */
export interface ErpRecords {
  customers: PartnerRecord[];
  suppliers: PartnerRecord[];
  items: ItemRecord[];
  salesOrders: SalesOrderRecord[];
  purchaseOrders: PurchaseOrderRecord[];
}

/** Lead time of a supplier no product names one for (Odoo's default delivery lead time). */
export const DEFAULT_LEAD_TIME_DAYS = 1;

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * The ERP rows of an import: suppliers (lead time = the median of their products' delivery lead
 * times), customers, locations, items, sales orders with lines (amounts in USD at the fixed rates,
 * cost = quantity x the item's cost), purchase orders (one row per line: `<id>` for a one-line
 * order, `<id>/<n>` otherwise). Partners and locations only named on orders or items get
 * placeholders. An order with a line whose SKU is not among this import's items (when it has
 * any) is rejected whole, and so is a second order naming the same deal.
 */
export function erpRows(records: ErpRecords, rejected: RejectedRow[]): DomainRow[] {
  const rows: DomainRow[] = [];
  const leadTimes = new Map<string, number[]>();
  for (const item of records.items) {
    if (item.leadTimeDays !== undefined)
      leadTimes.set(item.supplier, [...(leadTimes.get(item.supplier) ?? []), item.leadTimeDays]);
  }
  const supplierRow = (p: PartnerRecord, stub: boolean): DomainRow => ({
    table: "erp_suppliers",
    sourceId: p.id,
    origin: p.origin,
    ...(stub ? { stub: true } : {}),
    values: {
      id: p.id,
      name: p.name,
      country: p.country,
      currency: p.currency ?? "USD",
      lead_time_days: Math.max(1, median(leadTimes.get(p.id) ?? []) ?? DEFAULT_LEAD_TIME_DAYS),
      ...(stub ? {} : { email: p.email || null, tax_id: p.taxId || null }),
    },
  });
  const stub = (id: string, origin: RowOrigin, currency?: Currency): PartnerRecord => ({
    id,
    name: id,
    country: UNKNOWN_COUNTRY,
    currency,
    termsDays: 0,
    creditLimit: 0,
    origin,
  });
  const suppliers = new Set(records.suppliers.map((s) => s.id));
  appendAll(
    rows,
    records.suppliers.map((s) => supplierRow(s, false)),
  );
  for (const ref of [...records.items, ...records.purchaseOrders]) {
    if (suppliers.has(ref.supplier)) continue;
    suppliers.add(ref.supplier);
    rows.push(supplierRow(stub(ref.supplier, ref.origin, ref.currency), true));
  }
  const orderCurrency = new Map<string, Currency>();
  for (const o of records.salesOrders)
    if (!orderCurrency.has(o.customer)) orderCurrency.set(o.customer, o.currency);
  const customerRow = (c: PartnerRecord, isStub: boolean): DomainRow => ({
    table: "erp_customers",
    sourceId: c.id,
    origin: c.origin,
    ...(isStub ? { stub: true } : {}),
    values: {
      id: c.id,
      name: c.name,
      country: c.country,
      currency: c.currency ?? orderCurrency.get(c.id) ?? "USD",
      payment_terms_days: c.termsDays,
      credit_limit_minor: c.creditLimit,
      ...(isStub ? {} : { email: c.email || null, tax_id: c.taxId || null }),
    },
  });
  const customers = new Set(records.customers.map((c) => c.id));
  appendAll(
    rows,
    records.customers.map((c) => customerRow(c, false)),
  );
  for (const o of records.salesOrders) {
    if (customers.has(o.customer)) continue;
    customers.add(o.customer);
    rows.push(customerRow(stub(o.customer, o.origin, o.currency), true));
  }
  const locations = new Set<string>();
  for (const ref of [...records.salesOrders, ...records.purchaseOrders]) {
    if (!ref.location || locations.has(ref.location)) continue;
    locations.add(ref.location);
    // An export names a warehouse only: its country is not in it.
    rows.push({
      table: "erp_locations",
      sourceId: ref.location,
      origin: ref.origin,
      stub: true,
      values: { id: ref.location, name: ref.location, country: UNKNOWN_COUNTRY },
    });
  }
  const items = new Map(records.items.map((i) => [i.sku, i]));
  for (const item of records.items) {
    rows.push({
      table: "erp_items",
      sourceId: item.sku,
      origin: item.origin,
      columns: item.columns,
      values: {
        sku: item.sku,
        name: item.name,
        category: item.category,
        unit_cost_minor: item.cost,
        list_price_minor: item.listPrice,
        currency: item.currency,
        supplier_id: item.supplier,
      },
    });
  }
  const unitCostUsd = (sku: string) => {
    const item = items.get(sku);
    return item ? toReportingMinor(item.cost, item.currency) : 0;
  };
  const deals = new Map<string, RowOrigin>();
  for (const order of records.salesOrders) {
    const unknown = records.items.length > 0 ? order.lines.find((l) => !items.has(l.sku)) : undefined;
    if (unknown) {
      rejected.push({
        ...unknown.origin,
        column: order.columns.sku,
        reason: `order ${order.id} has SKU ${unknown.sku}, which is not in the products export; the order is not imported (import its product too).`,
      });
      continue;
    }
    const deal = order.dealRef ?? order.id;
    const first = deals.get(deal);
    if (first) {
      rejected.push({
        ...order.origin,
        column: order.columns.deal_id,
        reason: `deal ${deal} already has order ${first.file}:${first.line}; the ERP pack keeps one order per deal.`,
      });
      continue;
    }
    deals.set(deal, order.origin);
    if (order.dealRef !== undefined) {
      // The ERP's deal directory: the CRM deal the order was made from, as the export names it.
      rows.push({
        table: "erp_deals",
        sourceId: order.dealRef,
        origin: order.origin,
        ...(order.columns.deal_id ? { columns: { id: order.columns.deal_id } } : {}),
        values: { id: order.dealRef, account_id: order.customer, currency: order.currency },
      });
    }
    const total = order.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
    rows.push({
      table: "erp_sales_orders",
      sourceId: order.id,
      origin: order.origin,
      columns: order.columns,
      derived: ["cost_usd_minor"],
      values: {
        id: order.id,
        deal_id: deal,
        customer_id: order.customer,
        status: order.status,
        order_date: order.orderDate,
        currency: order.currency,
        total_minor: total,
        total_usd_minor: toReportingMinor(total, order.currency),
        cost_usd_minor: order.lines.reduce((sum, l) => sum + l.quantity * unitCostUsd(l.sku), 0),
        location_id: order.location,
        ship_date: order.shipDate,
        confirmed_on: order.status === "draft" ? null : order.orderDate,
        created_by: null,
      },
    });
    for (const [n, line] of order.lines.entries()) {
      const amount = line.quantity * line.unitPrice;
      const id = line.id ?? `${order.id}/${n + 1}`;
      rows.push({
        table: "erp_sales_order_lines",
        sourceId: id,
        origin: line.origin,
        derived: ["cost_usd_minor"],
        columns: { sku: order.columns.sku ?? "Product", quantity: order.columns.quantity ?? "Quantity" },
        values: {
          id,
          order_id: order.id,
          line_no: n + 1,
          order_date: order.orderDate,
          sku: line.sku,
          quantity: line.quantity,
          unit_price_minor: line.unitPrice,
          amount_minor: amount,
          currency: order.currency,
          amount_usd_minor: toReportingMinor(amount, order.currency),
          cost_usd_minor: line.quantity * unitCostUsd(line.sku),
        },
      });
    }
  }
  for (const po of records.purchaseOrders) {
    for (const [n, line] of po.lines.entries()) {
      const id = po.lines.length === 1 ? po.id : `${po.id}/${n + 1}`;
      rows.push({
        table: "erp_purchase_orders",
        sourceId: id,
        origin: line.origin,
        columns: po.columns,
        values: {
          id,
          supplier_id: po.supplier,
          sku: line.sku,
          location_id: po.location,
          quantity: line.quantity,
          unit_cost_minor: line.unitPrice,
          currency: po.currency,
          value_usd_minor: toReportingMinor(line.quantity * line.unitPrice, po.currency),
          order_date: po.orderDate,
          expected_date: po.expectedDate,
          status: po.status,
          created_by: null,
        },
      });
    }
  }
  return rows;
}

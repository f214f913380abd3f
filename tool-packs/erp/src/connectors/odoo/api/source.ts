import type { DomainRow, ReadStore, RejectedRow, SyncPage, SyncSource } from "@toolpacks/pack-kit";
import { appendAll } from "@toolpacks/pack-kit";
import { erpRows } from "../../shared/rows.js";
import type { OdooClient } from "./client.js";
import { sweepDeleted } from "./deletions.js";
import { pushToOdoo } from "./push.js";
import {
  emptyRecords,
  itemRecord,
  locationRow,
  partnerRecords,
  purchaseOrderRecord,
  salesOrderRecord,
  tryRecord,
  type Vendor,
} from "./records.js";
import {
  FIELDS,
  type OdooPartner,
  type OdooProduct,
  type OdooPurchaseLine,
  type OdooPurchaseOrder,
  type OdooRecord,
  type OdooSaleLine,
  type OdooSaleOrder,
  type OdooSupplierInfo,
  type OdooWarehouse,
} from "./shapes.js";

/** The models synced, parents first (each a stream with its own cursor), then the deletion sweep. */
export const ODOO_STREAMS = [
  "res.partner",
  "stock.warehouse",
  "product.product",
  "sale.order",
  "purchase.order",
  "deletions",
] as const;

type Model = Exclude<(typeof ODOO_STREAMS)[number], "deletions">;

/** Options of `odooSource`. */
export interface OdooSourceOptions {
  /** Records per `search_read` (and per committed page). Default 200. */
  pageSize?: number;
  /**
   * Seconds an increment reads back before its saved cursor. Odoo stamps `write_date` when a
   * transaction starts, so a record a long transaction commits late can carry a time older than
   * the cursor; reading back this far catches it (rows already in the store are unchanged). Default 300.
   */
  overlapSeconds?: number;
  /** The clock, for the deletion sweep's cursor. */
  now?: () => Date;
}

/** A stream's position: the last record's `write_date` and id (the `order` of every read). */
interface Cursor {
  at: string;
  id: number;
}

const ALL = { active_test: false } as const;
const ORDER = "write_date asc, id asc";

/** Only partners that are customers or vendors (not every contact or user). */
const FILTERS: Partial<Record<Model, unknown[]>> = {
  "res.partner": ["|", ["customer_rank", ">", 0], ["supplier_rank", ">", 0]],
};

function parseCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  try {
    const c = JSON.parse(text) as Cursor;
    return typeof c.at === "string" && Number.isInteger(c.id) ? c : undefined;
  } catch {
    return undefined;
  }
}

const later = (a: Cursor, b: Cursor | undefined) =>
  !b || a.at > b.at || (a.at === b.at && a.id > b.id) ? a : b;

/** `at` minus `seconds`, in Odoo's "YYYY-MM-DD HH:MM:SS" (UTC). */
function minus(at: string, seconds: number): string {
  const t = Date.parse(`${at.replace(" ", "T")}Z`);
  if (Number.isNaN(t)) return at;
  return new Date(t - seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
}

/** Records strictly after `after` in (write_date, id) order: keyset paging, stable while records change. */
function afterDomain(after: Cursor | undefined): unknown[] {
  if (!after) return [];
  return ["|", ["write_date", ">", after.at], "&", ["write_date", "=", after.at], ["id", ">", after.id]];
}

/**
 * Odoo (JSON-2) as a sync source of the ERP pack. Each model is a stream read with `search_read`
 * ordered by `write_date asc, id asc`, archived records included (`active_test: false`: an order
 * of an archived product or customer stays whole), paged by keyset on (write_date, id), each page
 * committed with the last record's position as cursor. The first load and the increments are the
 * same read from the saved position (less `overlapSeconds`, re-read harmlessly: rows are upserts on
 * their keys). Customers and vendors (res.partner), warehouses, products (with their first vendor
 * and its lead time), sales orders and purchase orders with their lines. A cancelled sales order
 * or an RFQ is removed from the store (the pack keeps neither), an order's lines are replaced
 * whole, and each run ends with a sweep (`sweepDeleted`) that removes the orders, products,
 * customers and vendors deleted in Odoo, keeping (and reporting) those local rows still refer to.
 */
export function odooSource(client: OdooClient, options: OdooSourceOptions = {}): SyncSource {
  const limit = options.pageSize ?? 200;
  const overlap = options.overlapSeconds ?? 300;
  const now = options.now ?? (() => new Date());
  const call = <T>(model: string, method: string, body: Record<string, unknown>, doing: string) =>
    client.call<T>(model, method, body, doing);
  const mappers: Record<Model, (records: never[], store: ReadStore | undefined) => Promise<Mapped>> = {
    "res.partner": (r: OdooPartner[]) => partnerPage(r, call),
    "stock.warehouse": async (r: OdooWarehouse[]) => ({
      rows: r.map(locationRow),
      rejected: [],
      removed: [],
    }),
    "product.product": (r: OdooProduct[]) => productPage(r, call),
    "sale.order": (r: OdooSaleOrder[], store) => salesPage(r, store, call),
    "purchase.order": (r: OdooPurchaseOrder[], store) => purchasePage(r, store, call),
  };
  return {
    system: "odoo",
    streams: ODOO_STREAMS,
    async *pull({ cursors, store }) {
      for (const model of ODOO_STREAMS) {
        if (model === "deletions") {
          const { removed, kept } = await sweepDeleted(store, call, limit);
          yield { stream: model, cursor: now().toISOString(), rows: [], rejected: [], removed, kept };
          continue;
        }
        const saved = parseCursor(cursors.get(model));
        let after: Cursor | undefined = saved ? { at: minus(saved.at, overlap), id: 0 } : undefined;
        for (;;) {
          const records = await call<OdooRecord[]>(
            model,
            "search_read",
            {
              domain: [...(FILTERS[model] ?? []), ...afterDomain(after)],
              fields: FIELDS[model],
              order: ORDER,
              limit,
              context: ALL,
            },
            `reading ${model}`,
          );
          if (records.length === 0) break;
          const mapped = await mappers[model](records as never[], store);
          const last = records.at(-1) as OdooRecord;
          after = { at: last.write_date, id: last.id };
          // While re-reading the overlap, the saved position stays the furthest one reached.
          yield { stream: model, cursor: JSON.stringify(later(after, saved)), ...mapped };
          if (records.length < limit) break;
        }
      }
    },
    push: (write, key) => pushToOdoo(client, write, key),
  };
}

type Call = <T>(model: string, method: string, body: Record<string, unknown>, doing: string) => Promise<T>;
type Mapped = Pick<SyncPage, "rows" | "rejected"> & { removed: NonNullable<SyncPage["removed"]> };

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Sets each synced row's source id to the Odoo record id it came from. */
function withSourceIds(
  rows: DomainRow[],
  table: string,
  ids: ReadonlyMap<string, number>,
  key: string,
): void {
  for (const row of rows) {
    const id = row.table === table && !row.stub ? ids.get(String(row.values[key])) : undefined;
    if (id !== undefined) row.sourceId = String(id);
  }
}

async function partnerPage(partners: OdooPartner[], call: Call): Promise<Mapped> {
  const rejected: RejectedRow[] = [];
  const records = emptyRecords();
  for (const p of partners) {
    const read = tryRecord("res.partner", p.id, rejected, () => partnerRecords(p));
    if (read?.customer) records.customers.push(read.customer);
    if (read?.supplier) records.suppliers.push(read.supplier);
  }
  const rows = erpRows(records, rejected);
  // A vendor's lead time is the median of its products' delivery lead times, as in the export.
  const vendors = partners.filter((p) => p.supplier_rank > 0).map((p) => p.id);
  if (vendors.length > 0) {
    const infos = await call<Array<{ partner_id: [number, string] | false; delay: number }>>(
      "product.supplierinfo",
      "search_read",
      {
        domain: [["partner_id", "in", vendors]],
        fields: ["partner_id", "delay"],
        context: { active_test: false },
      },
      "reading vendor lead times",
    );
    const delays = new Map<string, number[]>();
    for (const info of infos) {
      if (info.partner_id === false || info.delay <= 0) continue;
      const name = info.partner_id[1].trim();
      delays.set(name, [...(delays.get(name) ?? []), info.delay]);
    }
    for (const row of rows) {
      const days =
        row.table === "erp_suppliers" ? median(delays.get(String(row.values["id"])) ?? []) : undefined;
      if (days !== undefined) row.values["lead_time_days"] = Math.max(1, Math.round(days));
    }
  }
  const ids = new Map(partners.map((p) => [p.complete_name.trim(), p.id]));
  withSourceIds(rows, "erp_customers", ids, "id");
  withSourceIds(rows, "erp_suppliers", ids, "id");
  return { rows, rejected, removed: [] };
}

async function productPage(products: OdooProduct[], call: Call): Promise<Mapped> {
  const sellerIds = [...new Set(products.flatMap((p) => p.seller_ids))];
  const sellers =
    sellerIds.length === 0
      ? []
      : await call<OdooSupplierInfo[]>(
          "product.supplierinfo",
          "read",
          { ids: sellerIds, fields: FIELDS["product.supplierinfo"], context: ALL },
          "reading product vendors",
        );
  const byId = new Map(sellers.map((s) => [s.id, s]));
  const rejected: RejectedRow[] = [];
  const records = emptyRecords();
  for (const p of products) {
    const first = p.seller_ids
      .map((id) => byId.get(id))
      .filter((s): s is OdooSupplierInfo => s !== undefined && s.partner_id !== false)
      .sort((a, b) => a.sequence - b.sequence || a.id - b.id)[0];
    const vendor: Vendor | undefined =
      first && first.partner_id !== false
        ? { name: first.partner_id[1].trim(), delay: first.delay }
        : undefined;
    const item = tryRecord("product.product", p.id, rejected, () => itemRecord(p, vendor));
    if (item) records.items.push(item);
  }
  const rows = erpRows(records, rejected);
  withSourceIds(
    rows,
    "erp_items",
    new Map(products.map((p) => [String(p.default_code).trim(), p.id])),
    "sku",
  );
  return { rows, rejected, removed: [] };
}

/** The Internal Reference of each product the lines name (archived products included). */
async function skusOf(
  lines: ReadonlyArray<OdooSaleLine | OdooPurchaseLine>,
  call: Call,
): Promise<Map<number, string>> {
  const ids = [...new Set(lines.flatMap((l) => (l.product_id === false ? [] : [l.product_id[0]])))];
  if (ids.length === 0) return new Map();
  const products = await call<Array<{ id: number; default_code: string | false }>>(
    "product.product",
    "read",
    { ids, fields: ["default_code"], context: ALL },
    "reading the products of order lines",
  );
  return new Map(
    products.flatMap((p) =>
      typeof p.default_code === "string" && p.default_code.trim() ? [[p.id, p.default_code.trim()]] : [],
    ),
  );
}

async function linesOf<L extends { order_id: [number, string] | false }>(
  model: "sale.order.line" | "purchase.order.line",
  orderIds: number[],
  call: Call,
): Promise<Map<number, L[]>> {
  const lines = await call<L[]>(
    model,
    "search_read",
    {
      domain: [["order_id", "in", orderIds]],
      fields: FIELDS[model],
      order: "sequence asc, id asc",
      context: ALL,
    },
    `reading ${model}`,
  );
  const out = new Map<number, L[]>();
  for (const line of lines) {
    if (line.order_id === false) continue;
    out.set(line.order_id[0], [...(out.get(line.order_id[0]) ?? []), line]);
  }
  return out;
}

async function storedSkus(store: ReadStore | undefined, skus: string[]): Promise<Set<string>> {
  if (!store || skus.length === 0) return new Set(skus);
  const found = new Set<string>();
  for (let i = 0; i < skus.length; i += 90) {
    const chunk = skus.slice(i, i + 90);
    const hits = await store.all<{ sku: string }>(
      `SELECT sku FROM erp_items WHERE sku IN (${chunk.map(() => "?").join(", ")})`,
      chunk,
    );
    for (const h of hits) found.add(h.sku);
  }
  return found;
}

/** Keys of `table` rows the store holds for `column` = any of `values`. */
async function storedKeys(
  store: ReadStore | undefined,
  sql: (marks: string) => string,
  values: string[],
): Promise<Array<{ id: string; owner: string }>> {
  if (!store || values.length === 0) return [];
  const out: Array<{ id: string; owner: string }> = [];
  for (let i = 0; i < values.length; i += 90) {
    const chunk = values.slice(i, i + 90);
    out.push(
      ...(await store.all<{ id: string; owner: string }>(sql(chunk.map(() => "?").join(", ")), chunk)),
    );
  }
  return out;
}

async function salesPage(orders: OdooSaleOrder[], store: ReadStore | undefined, call: Call): Promise<Mapped> {
  const lines = await linesOf<OdooSaleLine>(
    "sale.order.line",
    orders.map((o) => o.id),
    call,
  );
  const skus = await skusOf([...lines.values()].flat(), call);
  const known = await storedSkus(store, [...new Set(skus.values())]);
  const rejected: RejectedRow[] = [];
  const records = emptyRecords();
  const gone: string[] = [];
  for (const o of orders) {
    const read = tryRecord("sale.order", o.id, rejected, () =>
      salesOrderRecord(o, lines.get(o.id) ?? [], skus),
    );
    if (read === "cancelled") gone.push(o.name.trim());
    if (!read || read === "cancelled") continue;
    const unknown = read.lines.find((l) => !known.has(l.sku));
    if (unknown) {
      rejected.push({
        ...unknown.origin,
        column: "product_id",
        reason: `order ${read.id} has SKU ${unknown.sku}, which is not among the synced products (a product without a vendor is not synced); the order is not synced.`,
      });
      continue;
    }
    records.salesOrders.push(read);
  }
  // One order per deal: a deal another stored order holds is refused here, not by the store.
  const deals = await storedKeys(
    store,
    (m) => `SELECT deal_id AS id, id AS owner FROM erp_sales_orders WHERE deal_id IN (${m})`,
    records.salesOrders.map((o) => o.dealRef ?? o.id),
  );
  const holder = new Map(deals.map((d) => [d.id, d.owner]));
  records.salesOrders = records.salesOrders.filter((o) => {
    const owner = holder.get(o.dealRef ?? o.id);
    if (owner === undefined || owner === o.id) return true;
    rejected.push({
      ...o.origin,
      column: "origin",
      reason: `deal ${o.dealRef ?? o.id} already has order ${owner}; the ERP pack keeps one order per deal.`,
    });
    return false;
  });
  const rows = erpRows(records, rejected);
  withSourceIds(rows, "erp_sales_orders", new Map(orders.map((o) => [o.name.trim(), o.id])), "id");
  // An order's lines are replaced whole: stored lines it no longer has go, and all of a cancelled one's.
  const names = [...records.salesOrders.map((o) => o.id), ...gone];
  const keep = new Set(
    rows.filter((r) => r.table === "erp_sales_order_lines").map((r) => String(r.values["id"])),
  );
  const stored = await storedKeys(
    store,
    (m) => `SELECT id, order_id AS owner FROM erp_sales_order_lines WHERE order_id IN (${m})`,
    names,
  );
  const removed: Mapped["removed"] = stored
    .filter((l) => !keep.has(l.id))
    .map((l) => ({ table: "erp_sales_order_lines", key: l.id }));
  appendAll(
    removed,
    gone.map((key) => ({ table: "erp_sales_orders" as const, key })),
  );
  return { rows, rejected, removed };
}

/** Does stored purchase-order row `id` belong to Odoo order `name` (`name`, or `name/<n>` for a line)? */
const rowOf = (id: string, name: string) =>
  id === name || (id.startsWith(`${name}/`) && /^\d+$/.test(id.slice(name.length + 1)));

async function purchasePage(
  orders: OdooPurchaseOrder[],
  store: ReadStore | undefined,
  call: Call,
): Promise<Mapped> {
  const lines = await linesOf<OdooPurchaseLine>(
    "purchase.order.line",
    orders.map((o) => o.id),
    call,
  );
  const skus = await skusOf([...lines.values()].flat(), call);
  const known = await storedSkus(store, [...new Set(skus.values())]);
  const rejected: RejectedRow[] = [];
  const records = emptyRecords();
  const gone: string[] = [];
  for (const o of orders) {
    const read = tryRecord("purchase.order", o.id, rejected, () =>
      purchaseOrderRecord(o, lines.get(o.id) ?? [], skus),
    );
    if (read === "rfq") gone.push(o.name.trim());
    if (!read || read === "rfq") continue;
    const unknown = read.lines.find((l) => !known.has(l.sku));
    if (unknown) {
      rejected.push({
        ...unknown.origin,
        column: "product_id",
        reason: `purchase order ${read.id} has SKU ${unknown.sku}, which is not among the synced products; the order is not synced.`,
      });
      continue;
    }
    records.purchaseOrders.push(read);
  }
  const rows = erpRows(records, rejected);
  const keep = new Set(
    rows.filter((r) => r.table === "erp_purchase_orders").map((r) => String(r.values["id"])),
  );
  const names = [...records.purchaseOrders.map((o) => o.id), ...gone];
  const removed: Mapped["removed"] = [];
  if (store) {
    for (const name of names) {
      const held = await store.all<{ id: string }>(
        "SELECT id FROM erp_purchase_orders WHERE id = ? OR substr(id, 1, ?) = ?",
        [name, name.length + 1, `${name}/`],
      );
      for (const h of held) {
        if (rowOf(h.id, name) && !keep.has(h.id)) removed.push({ table: "erp_purchase_orders", key: h.id });
      }
    }
  }
  return { rows, rejected, removed };
}

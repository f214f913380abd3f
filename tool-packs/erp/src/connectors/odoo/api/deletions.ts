import { type KeptRow, listTables, type ReadStore, readTableShape, type SyncPage } from "@toolpacks/pack-kit";

/*
 * The end-of-run deletion sweep. An updated-since read never shows a record deleted (unlinked) in
 * Odoo, so each run lists the keys Odoo still holds (names and codes only, archived records
 * included) and compares them with the store's rows from Odoo. What Odoo lacks is removed, unless
 * a row that stays still refers to it (an order a write tool created, an order another system
 * filled, a line of a kept order): then it is kept as it was last synced and reported as kept.
 */

/** Calls Odoo's JSON-2 API (the source's retrying client). */
export type OdooCall = <T>(
  model: string,
  method: string,
  body: Record<string, unknown>,
  doing: string,
) => Promise<T>;

/** What the sweep decided: rows to remove (children before parents) and rows kept, with why. */
export interface Sweep {
  removed: NonNullable<SyncPage["removed"]>;
  kept: KeptRow[];
}

const ALL = { active_test: false } as const;
const CHUNK = 90;

/** Partners the sync reads: customers and vendors (as the `res.partner` stream filters them). */
const PARTNERS = ["|", ["customer_rank", ">", 0], ["supplier_rank", ">", 0]];

/**
 * Every value of `field` (trimmed, non-empty) among the records of `model` matching `domain`,
 * archived included, read by id in pages of `page`.
 */
async function valuesIn(
  call: OdooCall,
  model: string,
  field: string,
  domain: unknown[],
  page: number,
): Promise<Set<string>> {
  const values = new Set<string>();
  let after = 0;
  for (;;) {
    const records = await call<Array<Record<string, unknown> & { id: number }>>(
      model,
      "search_read",
      {
        domain: [...domain, ["id", ">", after]],
        fields: [field],
        order: "id asc",
        limit: page,
        context: ALL,
      },
      `listing ${model} to find deleted records`,
    );
    for (const r of records) {
      const value = r[field];
      if (typeof value === "string" && value.trim() !== "") values.add(value.trim());
    }
    if (records.length < page) return values;
    after = (records.at(-1) as { id: number }).id;
  }
}

async function odooKeys(store: ReadStore, table: string, key: string): Promise<string[]> {
  const rows = await store.all<{ k: string }>(
    `SELECT ${key} AS k FROM ${table} WHERE source_system = 'odoo' ORDER BY ${key}`,
  );
  return rows.map((r) => String(r.k));
}

/**
 * The rows Odoo no longer holds: sales orders (with their lines) and purchase orders deleted
 * there, products (by Internal Reference), customers and vendors (by display name); a customer's
 * deal references from Odoo go with it. A row some staying row refers to (by a foreign key of the
 * store's schema, whatever pack or system wrote the referring row) is kept instead, and so is
 * whatever a kept row refers to.
 */
export async function sweepDeleted(
  store: ReadStore | undefined,
  call: OdooCall,
  limit: number,
): Promise<Sweep> {
  if (!store) return { removed: [], kept: [] };
  const page = limit * 10;
  const candidates = new Map<string, Set<string>>();
  const add = (table: string, key: string) => {
    candidates.set(table, (candidates.get(table) ?? new Set()).add(key));
  };

  const sales = await valuesIn(call, "sale.order", "name", [], page);
  for (const id of await odooKeys(store, "erp_sales_orders", "id")) {
    if (sales.has(id)) continue;
    add("erp_sales_orders", id);
    const lines = await store.all<{ id: string }>("SELECT id FROM erp_sales_order_lines WHERE order_id = ?", [
      id,
    ]);
    for (const l of lines) add("erp_sales_order_lines", l.id);
  }
  const purchases = await valuesIn(call, "purchase.order", "name", [], page);
  for (const id of await odooKeys(store, "erp_purchase_orders", "id")) {
    // A purchase order of several lines is stored as `name/<n>` rows.
    if (!purchases.has(id) && !purchases.has(id.replace(/\/\d+$/, ""))) add("erp_purchase_orders", id);
  }
  const codes = await valuesIn(call, "product.product", "default_code", [], page);
  for (const sku of await odooKeys(store, "erp_items", "sku")) if (!codes.has(sku)) add("erp_items", sku);
  const partners = await valuesIn(call, "res.partner", "complete_name", PARTNERS, page);
  for (const table of ["erp_customers", "erp_suppliers"]) {
    for (const id of await odooKeys(store, table, "id")) if (!partners.has(id)) add(table, id);
  }
  for (const customer of candidates.get("erp_customers") ?? []) {
    const deals = await store.all<{ id: string }>(
      "SELECT id FROM erp_deals WHERE account_id = ? AND source_system = 'odoo'",
      [customer],
    );
    for (const d of deals) add("erp_deals", d.id);
  }
  if (candidates.size === 0) return { removed: [], kept: [] };

  const kept = await keepReferenced(store, candidates);
  await keepNamedDeals(store, candidates);
  const removed: Sweep["removed"] = [];
  for (const table of REMOVAL_ORDER) {
    for (const key of [...(candidates.get(table) ?? [])].sort()) removed.push({ table, key });
  }
  return { removed, kept };
}

/**
 * A deal reference is no Odoo record of its own: it goes only with its customer, so it stays
 * (silently) while the customer is kept or an order that stays names it (orders name deals by
 * value, not by a foreign key).
 */
async function keepNamedDeals(store: ReadStore, candidates: Map<string, Set<string>>): Promise<void> {
  const deals = candidates.get("erp_deals");
  if (!deals) return;
  const customers = candidates.get("erp_customers") ?? new Set<string>();
  const orders = candidates.get("erp_sales_orders") ?? new Set<string>();
  for (const id of [...deals]) {
    const deal = await store.first<{ account_id: string }>("SELECT account_id FROM erp_deals WHERE id = ?", [
      id,
    ]);
    const naming = await store.all<{ id: string }>("SELECT id FROM erp_sales_orders WHERE deal_id = ?", [id]);
    if (!customers.has(String(deal?.account_id)) || naming.some((o) => !orders.has(o.id))) deals.delete(id);
  }
}

/** Children before parents: each table is removed before the tables it refers to. */
const REMOVAL_ORDER = [
  "erp_sales_order_lines",
  "erp_sales_orders",
  "erp_purchase_orders",
  "erp_deals",
  "erp_items",
  "erp_customers",
  "erp_suppliers",
];

interface Reference {
  child: string;
  from: string;
  childKey: string[];
}

/**
 * Drops from `candidates` (in place) every row a row outside the removal refers to, until none
 * does (keeping a row can make its own parents referenced), and returns them as kept, with the
 * first referring row as reason.
 */
async function keepReferenced(store: ReadStore, candidates: Map<string, Set<string>>): Promise<KeptRow[]> {
  const references = new Map<string, Reference[]>();
  for (const name of await listTables(store)) {
    const shape = await readTableShape(store, name);
    if (!shape) continue;
    const childKey = shape.key.length > 0 ? shape.key : [store.dialect === "postgres" ? "ctid" : "rowid"];
    for (const fk of shape.foreignKeys) {
      if (!candidates.has(fk.table)) continue;
      references.set(fk.table, [
        ...(references.get(fk.table) ?? []),
        { child: name, from: fk.from, childKey },
      ]);
    }
  }
  const kept: KeptRow[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const [table, keys] of candidates) {
      for (const ref of references.get(table) ?? []) {
        const list = [...keys];
        for (let i = 0; i < list.length; i += CHUNK) {
          const chunk = list.slice(i, i + CHUNK);
          const rows = await store.all<Record<string, unknown>>(
            `SELECT ${[ref.from, ...ref.childKey].map((c) => `${c} AS "${c}"`).join(", ")} FROM ${ref.child} WHERE ${ref.from} IN (${chunk.map(() => "?").join(", ")})`,
            chunk,
          );
          for (const row of rows) {
            const parent = String(row[ref.from]);
            const child = ref.childKey.map((k) => String(row[k] ?? "")).join("/");
            if (!keys.has(parent) || (ref.childKey.length === 1 && candidates.get(ref.child)?.has(child)))
              continue;
            keys.delete(parent);
            changed = true;
            kept.push({
              table,
              id: parent,
              reason: `no longer in Odoo (deleted there, or its name or Internal Reference changed), but ${ref.child} ${child} still refers to it and stays, so it is kept as last synced; a later sync removes it once nothing refers to it`,
            });
          }
        }
      }
    }
  }
  return kept.sort((a, b) => a.table.localeCompare(b.table) || a.id.localeCompare(b.id));
}

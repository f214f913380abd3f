import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { OdooErrorBody } from "../connectors/odoo/api/errors.js";

/**
 * A local Odoo JSON-2 server for tests and benchmarks: `POST /json/2/<model>/<method>` with
 * `Authorization: bearer <key>` and `X-Odoo-Database`, named arguments in a JSON body, 200 with
 * the method's value or 4xx/5xx with `{ name, message, arguments, context, debug }`, as Odoo 19
 * documents. Models: res.partner, product.product (+ product.supplierinfo), stock.warehouse,
 * sale.order (+ lines), purchase.order (+ lines), res.currency. Methods: search_read (domain
 * with `|` `&` `!` and = != > >= < <= in not in, order, limit, offset, `active_test`), read,
 * search, search_count, create (`vals_list`, `[0, 0, vals]` line commands), write, unlink,
 * action_confirm, button_confirm. Many2ones read as `[id, display_name]`, empty values as `false`,
 * `write_date` from a clock that moves one second per change (or stands still, for ties).
 * Faults are scripted: failures with a status (429 + Retry-After, 5xx), refusals with an Odoo
 * exception, an expired key, a write applied but answered too late. Not Odoo: no pricing, taxes,
 * stock moves or access rules.
 */
export interface FakeOdoo {
  /** `http://127.0.0.1:PORT`, for `--base-url` / `ODOO_URL`. */
  url: string;
  key: string;
  database: string;
  addPartner(fields: PartnerFields): number;
  addWarehouse(name: string): number;
  addProduct(fields: ProductFields): number;
  addSaleOrder(fields: OrderFields & { origin?: string; delivery?: "pending" | "partial" | "full" }): number;
  addPurchaseOrder(
    fields: OrderFields & { receipt?: "pending" | "partial" | "full"; warehouse?: number },
  ): number;
  /** Changes a record (a new `write_date`, unless the clock stands still). */
  update(model: string, id: number, patch: Record<string, unknown>): void;
  /** Deletes a record (and an order's lines), as `unlink` does. */
  remove(model: string, id: number): void;
  /** The stored records of a model (raw: many2ones as ids). */
  records(model: string): Array<Record<string, unknown> & { id: number }>;
  /** From now on every change gets the same `write_date` (true) or the clock moves again (false). */
  freezeClock(frozen: boolean): void;
  /**
   * The next `times` calls whose `model/method` matches `match` (after letting `skip` of them
   * through) answer `status` with `headers` and a generic Odoo error body.
   */
  fail(
    times: number,
    status: number,
    options?: { match?: RegExp; headers?: Record<string, string>; skip?: number },
  ): void;
  /** The next call matching `match` is refused with Odoo exception `name` (e.g. odoo.exceptions.ValidationError). */
  refuseNext(match: RegExp, name: string, message: string, status?: number): void;
  /** Requests with the key answer 401 from now on. */
  expireKey(): void;
  /** The next write is applied, then answered only after `ms` (lost when the client gives up first). */
  answerNextWriteAfter(ms: number): void;
  /** Writes applied (creates, writes, unlinks, confirmations). */
  applied: number;
  /** Every call: model, method and the JSON body. */
  requests: Array<{ model: string; method: string; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface PartnerFields {
  name: string;
  customer?: boolean;
  vendor?: boolean;
  email?: string;
  vat?: string;
  country?: string;
  terms?: string;
  vendorTerms?: string;
  currency?: string;
  creditLimit?: number;
  /** The company this contact belongs to: its display name becomes `Company, Name`. */
  parent?: number;
}

export interface ProductFields {
  code?: string;
  name: string;
  cost: number;
  price: number;
  vendor?: number;
  delay?: number;
  currency?: string;
  category?: string;
}

export interface OrderFields {
  partner: number;
  lines: Array<{ product: number; qty: number; price: number }>;
  state?: string;
  date?: string;
  currency?: string;
  warehouse?: number;
  name?: string;
}

type Row = Record<string, unknown> & { id: number };

/** Many2one fields: model they point at. */
const RELATIONS: Record<string, Record<string, string>> = {
  "res.partner": {
    parent_id: "res.partner",
    country_id: "res.country",
    property_payment_term_id: "account.payment.term",
    property_supplier_payment_term_id: "account.payment.term",
    property_product_pricelist: "product.pricelist",
    property_purchase_currency_id: "res.currency",
  },
  "product.product": { categ_id: "product.category", currency_id: "res.currency" },
  "product.supplierinfo": { partner_id: "res.partner", product_id: "product.product" },
  "stock.warehouse": { partner_id: "res.partner" },
  "sale.order": { partner_id: "res.partner", warehouse_id: "stock.warehouse", currency_id: "res.currency" },
  "sale.order.line": { order_id: "sale.order", product_id: "product.product" },
  "purchase.order": {
    partner_id: "res.partner",
    picking_type_id: "stock.picking.type",
    currency_id: "res.currency",
  },
  "purchase.order.line": { order_id: "purchase.order", product_id: "product.product" },
  "stock.picking.type": { warehouse_id: "stock.warehouse" },
};
/** One2many fields: child model and its inverse field. */
const CHILDREN: Record<string, Record<string, [string, string]>> = {
  "product.product": { seller_ids: ["product.supplierinfo", "product_id"] },
  "sale.order": { order_line: ["sale.order.line", "order_id"] },
  "purchase.order": { order_line: ["purchase.order.line", "order_id"] },
};
const WITH_ACTIVE = new Set(["res.partner", "product.product", "stock.warehouse", "res.currency"]);

const MODELS = [
  "res.partner",
  "res.country",
  "res.currency",
  "account.payment.term",
  "product.pricelist",
  "product.category",
  "product.product",
  "product.supplierinfo",
  "stock.warehouse",
  "stock.picking.type",
  "sale.order",
  "sale.order.line",
  "purchase.order",
  "purchase.order.line",
];

class OdooException extends Error {
  constructor(
    readonly odooName: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Starts the fake on a free loopback port. */
export async function startFakeOdoo(options: { database?: string; key?: string } = {}): Promise<FakeOdoo> {
  const key = options.key ?? "fake-odoo-api-key-0123456789abcdef";
  const database = options.database ?? "fakecompany";
  const tables = new Map<string, Map<number, Row>>(MODELS.map((m) => [m, new Map()]));
  let nextId = 1;
  let clock = Date.parse("2026-11-01T00:00:00Z");
  let frozen = false;
  let keyExpired = false;
  const failures: Array<{
    times: number;
    skip: number;
    status: number;
    match: RegExp;
    headers: Record<string, string>;
  }> = [];
  const refusals: Array<{ match: RegExp; name: string; message: string; status: number }> = [];
  let slowWriteMs: number | undefined;
  const stamp = () => {
    if (!frozen) clock += 1000;
    return new Date(clock).toISOString().slice(0, 19).replace("T", " ");
  };
  const table = (model: string) => {
    const t = tables.get(model);
    if (!t) throw new OdooException("builtins.KeyError", `Object ${model} doesn't exist`, 404);
    return t;
  };
  const insert = (model: string, values: Record<string, unknown>): number => {
    const id = nextId++;
    const row: Row = { ...values, id, write_date: stamp(), create_date: stamp() };
    if (WITH_ACTIVE.has(model) && row["active"] === undefined) row["active"] = true;
    table(model).set(id, row);
    return id;
  };
  const named = (model: string, name: string, extra: Record<string, unknown> = {}) => {
    for (const row of table(model).values()) if (row["name"] === name) return row.id;
    return insert(model, { name, ...extra });
  };
  const touch = (model: string, id: number) => {
    const row = table(model).get(id);
    if (row) row["write_date"] = stamp();
  };

  const displayName = (model: string, row: Row): string => {
    if (model === "res.partner") {
      const parent =
        typeof row["parent_id"] === "number" ? table("res.partner").get(row["parent_id"]) : undefined;
      return parent ? `${String(parent["name"])}, ${String(row["name"])}` : String(row["name"]);
    }
    if (model === "product.product")
      return row["default_code"]
        ? `[${String(row["default_code"])}] ${String(row["name"])}`
        : String(row["name"]);
    if (model === "stock.picking.type") {
      const wh = table("stock.warehouse").get(row["warehouse_id"] as number);
      return `${String(wh?.["name"] ?? "")}: ${String(row["name"])}`;
    }
    return String(row["name"] ?? row.id);
  };
  const fieldValue = (model: string, row: Row, field: string): unknown => {
    if (field === "id") return row.id;
    if (field === "display_name") return displayName(model, row);
    if (model === "res.partner" && field === "complete_name") return displayName(model, row);
    const child = CHILDREN[model]?.[field];
    if (child) {
      return [...table(child[0]).values()]
        .filter((r) => r[child[1]] === row.id)
        .sort((a, b) => Number(a["sequence"] ?? 0) - Number(b["sequence"] ?? 0) || a.id - b.id)
        .map((r) => r.id);
    }
    const relation = RELATIONS[model]?.[field];
    const value = row[field];
    if (relation) {
      if (typeof value !== "number") return false;
      const target = table(relation).get(value);
      return target ? [value, displayName(relation, target)] : false;
    }
    if (value === undefined || value === null || value === "") return false;
    return value;
  };
  const compare = (model: string, row: Row, field: string, op: string, expected: unknown): boolean => {
    let value: unknown;
    if (field === "complete_name" || field === "display_name") value = displayName(model, row);
    else if (field === "id") value = row.id;
    else value = row[field] ?? false;
    switch (op) {
      case "=":
        return value === expected;
      case "!=":
        return value !== expected;
      case ">":
        return (value as number | string) > (expected as number | string);
      case ">=":
        return (value as number | string) >= (expected as number | string);
      case "<":
        return (value as number | string) < (expected as number | string);
      case "<=":
        return (value as number | string) <= (expected as number | string);
      case "in":
        return (expected as unknown[]).includes(value);
      case "not in":
        return !(expected as unknown[]).includes(value);
      default:
        throw new OdooException("builtins.ValueError", `Invalid leaf operator ${op}`, 422);
    }
  };
  /** Evaluates a prefix-notation domain (implicit & between top-level terms). */
  const matches = (model: string, row: Row, domain: unknown[]): boolean => {
    let i = 0;
    const next = (): boolean => {
      const term = domain[i++];
      if (term === "|") {
        const a = next();
        const b = next();
        return a || b;
      }
      if (term === "&") {
        const a = next();
        const b = next();
        return a && b;
      }
      if (term === "!") return !next();
      if (!Array.isArray(term) || term.length !== 3)
        throw new OdooException("builtins.ValueError", `Invalid domain term ${JSON.stringify(term)}`, 422);
      return compare(model, row, term[0] as string, term[1] as string, term[2]);
    };
    let all = true;
    while (i < domain.length) all = next() && all;
    return all;
  };
  const search = (model: string, body: Record<string, unknown>): Row[] => {
    const domain = (body["domain"] as unknown[] | undefined) ?? [];
    const context = (body["context"] as Record<string, unknown> | undefined) ?? {};
    const activeTest =
      context["active_test"] !== false &&
      WITH_ACTIVE.has(model) &&
      !JSON.stringify(domain).includes('"active"');
    let rows = [...table(model).values()].filter(
      (r) => (!activeTest || r["active"] !== false) && matches(model, r, domain),
    );
    const order = String(body["order"] ?? "id asc");
    const keys = order.split(",").map((k) => k.trim().split(/\s+/) as [string, string?]);
    rows.sort((a, b) => {
      for (const [field, dir] of keys) {
        const x = field === "id" ? a.id : (a[field] as string | number);
        const y = field === "id" ? b.id : (b[field] as string | number);
        if (x === y) continue;
        return (x < y ? -1 : 1) * (dir?.toLowerCase() === "desc" ? -1 : 1);
      }
      return 0;
    });
    const offset = Number(body["offset"] ?? 0);
    rows = rows.slice(offset, body["limit"] ? offset + Number(body["limit"]) : undefined);
    return rows;
  };
  const read = (model: string, rows: Row[], fields: string[] | undefined) =>
    rows.map((row) => {
      const out: Record<string, unknown> = { id: row.id };
      for (const f of fields ?? Object.keys(row)) out[f] = fieldValue(model, row, f);
      return out;
    });
  const idsOf = (model: string, body: Record<string, unknown>): Row[] => {
    const ids = (body["ids"] as number[] | undefined) ?? [];
    return ids.map((id) => {
      const row = table(model).get(id);
      if (!row)
        throw new OdooException(
          "odoo.exceptions.MissingError",
          `Record does not exist or has been deleted.\n(Record: ${model}(${id},), User: 2)`,
          404,
        );
      return row;
    });
  };
  const create = (model: string, vals: Record<string, unknown>): number => {
    const plain: Record<string, unknown> = {};
    const lines: Array<[string, string, Record<string, unknown>[]]> = [];
    for (const [field, value] of Object.entries(vals)) {
      const child = CHILDREN[model]?.[field];
      if (child)
        lines.push([child[0], child[1], (value as unknown[][]).map((c) => c[2] as Record<string, unknown>)]);
      else plain[field] = value;
    }
    if (model === "sale.order" || model === "purchase.order") {
      if (typeof plain["partner_id"] !== "number" || !table("res.partner").has(plain["partner_id"])) {
        throw new OdooException(
          "odoo.exceptions.ValidationError",
          "The operation cannot be completed: Missing required value for the field 'Customer' (partner_id).",
          422,
        );
      }
      plain["state"] ??= "draft";
      plain["date_order"] ??= stamp();
      plain["name"] ??= `${model === "sale.order" ? "S" : "P"}${String(nextId).padStart(5, "0")}`;
      plain["currency_id"] ??= named("res.currency", "USD");
    }
    const id = insert(model, plain);
    for (const [child, inverse, list] of lines) {
      for (const [n, l] of list.entries()) insert(child, { sequence: 10 * (n + 1), ...l, [inverse]: id });
    }
    return id;
  };
  const unlink = (model: string, id: number) => {
    for (const [child, inverse] of Object.values(CHILDREN[model] ?? {})) {
      for (const r of [...table(child).values()]) if (r[inverse] === id) table(child).delete(r.id);
    }
    table(model).delete(id);
  };

  const dispatch = (model: string, method: string, body: Record<string, unknown>): unknown => {
    switch (method) {
      case "search_read":
        return read(model, search(model, body), body["fields"] as string[] | undefined);
      case "search":
        return search(model, body).map((r) => r.id);
      case "search_count":
        return search(model, { ...body, limit: undefined, offset: 0 }).length;
      case "read":
        return read(model, idsOf(model, body), body["fields"] as string[] | undefined);
      case "create": {
        const list = body["vals_list"] as Record<string, unknown>[] | undefined;
        if (!Array.isArray(list))
          throw new OdooException(
            "builtins.TypeError",
            "create() missing 1 required positional argument: 'vals_list'",
            422,
          );
        fake.applied++;
        return list.map((vals) => create(model, vals));
      }
      case "write": {
        const rows = idsOf(model, body);
        for (const row of rows) {
          Object.assign(row, body["vals"] as Record<string, unknown>);
          row["write_date"] = stamp();
        }
        fake.applied++;
        return true;
      }
      case "unlink": {
        for (const row of idsOf(model, body)) {
          if (
            (model === "sale.order" || model === "purchase.order") &&
            !["draft", "sent", "cancel"].includes(String(row["state"]))
          ) {
            throw new OdooException(
              "odoo.exceptions.UserError",
              "You can not delete a sent quotation or a confirmed sales order. You must first cancel it.",
              422,
            );
          }
          unlink(model, row.id);
        }
        fake.applied++;
        return true;
      }
      case "action_confirm":
      case "button_confirm": {
        const rows = idsOf(model, body);
        for (const row of rows) {
          if (!["draft", "sent"].includes(String(row["state"]))) {
            throw new OdooException(
              "odoo.exceptions.UserError",
              `Some orders are not in a state requiring confirmation.`,
              422,
            );
          }
        }
        for (const row of rows) {
          row["state"] = model === "sale.order" ? "sale" : "purchase";
          row["write_date"] = stamp();
        }
        fake.applied++;
        return true;
      }
      default:
        throw new OdooException(
          "odoo.exceptions.AccessError",
          `Private methods (such as '${method}') cannot be called remotely.`,
          403,
        );
    }
  };

  const errorBody = (name: string, message: string): OdooErrorBody => ({
    name,
    message,
    arguments: [message],
    context: {},
    debug: `Traceback (most recent call last):\n  ...\n${name}: ${message}\n`,
  });
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let data = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => {
        data += c;
      });
      req.on("end", () => resolve(data));
      req.on("error", reject);
    });

  const server = createServer(async (req, res) => {
    const match = /^\/json\/2\/([\w.]+)\/(\w+)$/.exec(req.url ?? "");
    if (req.method !== "POST" || !match)
      return send(
        res,
        404,
        errorBody(
          "werkzeug.exceptions.NotFound",
          "404 Not Found: The requested URL was not found on the server.",
        ),
      );
    const [, model = "", method = ""] = match;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readBody(req)) || "{}") as Record<string, unknown>;
    } catch {
      return send(
        res,
        400,
        errorBody("werkzeug.exceptions.BadRequest", "400 Bad Request: the body is not JSON."),
      );
    }
    fake.requests.push({ model, method, body });
    if (req.headers.authorization !== `bearer ${key}` || keyExpired) {
      return send(res, 401, errorBody("werkzeug.exceptions.Unauthorized", "Invalid apikey"));
    }
    if (req.headers["x-odoo-database"] !== undefined && req.headers["x-odoo-database"] !== database) {
      return send(
        res,
        404,
        errorBody(
          "werkzeug.exceptions.NotFound",
          `database ${String(req.headers["x-odoo-database"])} does not exist`,
        ),
      );
    }
    const call = `${model}/${method}`;
    const failure = failures.find((f) => f.times > 0 && f.match.test(call));
    if (failure) {
      if (failure.skip > 0) failure.skip--;
      else {
        failure.times--;
        return send(
          res,
          failure.status,
          errorBody("werkzeug.exceptions.HTTPException", `${failure.status} scripted failure`),
          failure.headers,
        );
      }
    }
    const refusal = refusals.findIndex((r) => r.match.test(call));
    if (refusal >= 0) {
      const [r] = refusals.splice(refusal, 1);
      if (r) return send(res, r.status, errorBody(r.name, r.message));
    }
    let result: unknown;
    try {
      result = dispatch(model, method, body);
    } catch (error) {
      if (error instanceof OdooException)
        return send(res, error.status, errorBody(error.odooName, error.message));
      return send(res, 500, errorBody("builtins.Exception", String(error)));
    }
    const isWrite = !["search_read", "search", "search_count", "read"].includes(method);
    if (isWrite && slowWriteMs !== undefined) {
      const wait = slowWriteMs;
      slowWriteMs = undefined;
      await new Promise((r) => setTimeout(r, wait));
      if (res.destroyed || req.socket.destroyed) return;
    }
    send(res, 200, result);
  });
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeOdoo = {
    url: `http://127.0.0.1:${port}`,
    key,
    database,
    applied: 0,
    requests: [],
    addPartner(f) {
      return insert("res.partner", {
        name: f.name,
        parent_id: f.parent,
        email: f.email,
        vat: f.vat,
        country_id: f.country ? named("res.country", f.country) : undefined,
        customer_rank: f.customer === false ? 0 : f.customer || !f.vendor ? 1 : 0,
        supplier_rank: f.vendor ? 1 : 0,
        property_payment_term_id: f.terms ? named("account.payment.term", f.terms) : undefined,
        property_supplier_payment_term_id: f.vendorTerms
          ? named("account.payment.term", f.vendorTerms)
          : undefined,
        credit_limit: f.creditLimit ?? 0,
        property_product_pricelist: f.currency
          ? named("product.pricelist", `Public Pricelist (${f.currency})`)
          : undefined,
        property_purchase_currency_id: f.vendor && f.currency ? named("res.currency", f.currency) : undefined,
      });
    },
    addWarehouse(name) {
      const id = insert("stock.warehouse", { name, code: name.slice(0, 5).toUpperCase() });
      insert("stock.picking.type", { name: "Receipts", warehouse_id: id, code: "incoming" });
      return id;
    },
    addProduct(f) {
      const id = insert("product.product", {
        default_code: f.code,
        name: f.name,
        categ_id: named("product.category", f.category ?? "All / Saleable"),
        list_price: f.price,
        standard_price: f.cost,
        currency_id: named("res.currency", f.currency ?? "USD"),
      });
      if (f.vendor !== undefined)
        insert("product.supplierinfo", {
          partner_id: f.vendor,
          product_id: id,
          delay: f.delay ?? 1,
          sequence: 1,
        });
      return id;
    },
    addSaleOrder(f) {
      return create("sale.order", {
        ...(f.name ? { name: f.name } : {}),
        partner_id: f.partner,
        state: f.state ?? "sale",
        date_order: f.date ?? "2026-10-15 09:00:00",
        origin: f.origin,
        delivery_status: f.delivery ?? "pending",
        warehouse_id: f.warehouse,
        currency_id: named("res.currency", f.currency ?? "USD"),
        order_line: f.lines.map((l) => [
          0,
          0,
          { product_id: l.product, product_uom_qty: l.qty, price_unit: l.price },
        ]),
      });
    },
    addPurchaseOrder(f) {
      const pickingType =
        f.warehouse === undefined
          ? undefined
          : [...table("stock.picking.type").values()].find((p) => p["warehouse_id"] === f.warehouse)?.id;
      return create("purchase.order", {
        ...(f.name ? { name: f.name } : {}),
        partner_id: f.partner,
        state: f.state ?? "purchase",
        date_order: f.date ?? "2026-10-10 09:00:00",
        date_planned: "2026-10-20 09:00:00",
        receipt_status: f.receipt ?? "pending",
        picking_type_id: pickingType,
        currency_id: named("res.currency", f.currency ?? "USD"),
        order_line: f.lines.map((l) => [
          0,
          0,
          { product_id: l.product, product_qty: l.qty, price_unit: l.price },
        ]),
      });
    },
    update(model, id, patch) {
      const row = table(model).get(id);
      if (!row) throw new Error(`no ${model} ${id}`);
      Object.assign(row, patch);
      touch(model, id);
    },
    remove(model, id) {
      unlink(model, id);
    },
    records(model) {
      return [...table(model).values()];
    },
    freezeClock(f) {
      frozen = f;
    },
    fail(times, status, o = {}) {
      failures.push({ times, status, skip: o.skip ?? 0, match: o.match ?? /./, headers: o.headers ?? {} });
    },
    refuseNext(match, name, message, status = 422) {
      refusals.push({
        match,
        name,
        message,
        status: name.endsWith("AccessError") && status === 422 ? 403 : status,
      });
    },
    expireKey() {
      keyExpired = true;
    },
    answerNextWriteAfter(ms) {
      slowWriteMs = ms;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

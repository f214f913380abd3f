import type Stripe from "stripe";
import type {
  ApiCreditNote,
  ApiCustomer,
  ApiErrorBody,
  ApiEvent,
  ApiEventObject,
  ApiInvoice,
  ApiInvoicePayment,
  ApiList,
  ApiSubscription,
} from "../connectors/stripe/api/shapes.js";

/**
 * A local Stripe API for tests and benchmarks: customers, subscriptions, invoices, invoice
 * payments and events in Stripe's documented shapes (list objects newest first with `has_more`,
 * `starting_after` / `ending_before` cursors, `{ error: { type, code, message } }` errors,
 * Idempotency-Key replays with `Idempotent-Replayed: true`), type-checked against the `stripe`
 * package's own types through the `Api*` picks. Faults are scripted: 429s with Retry-After,
 * 5xx, expired keys, a write applied but answered too late. Not Stripe: no tax, no proration, no
 * payment flows; a credit note on a paid invoice goes to the customer balance, out-of-band pay
 * settles the whole amount remaining.
 */
export interface FakeStripeApi {
  /**
   * Answers one HTTP request as Stripe would (a fetch handler: give it to a server, or use it as
   * the `fetch` of a client). A write delayed by `answerNextWriteAfter` is abandoned when the
   * request's signal aborts (the client gave up).
   */
  handle(request: Request): Promise<Response>;
  /** The only key it accepts (others are 401). */
  key: string;
  addCustomer(fields?: Partial<ApiCustomer>): ApiCustomer;
  addSubscription(
    customer: string,
    fields: {
      amount: number;
      quantity?: number;
      interval?: "month" | "year";
      status?: Stripe.Subscription.Status;
      currency?: string;
    },
  ): ApiSubscription;
  addInvoice(
    customer: string,
    fields: {
      amount: number;
      status?: "open" | "paid" | "draft" | "void";
      currency?: string;
      subscription?: string;
      created?: number;
      dueDays?: number;
    },
  ): ApiInvoice;
  /** A paid payment of `amount` on `invoice` (updating the invoice, with both events). */
  addPayment(invoice: string, amount: number): ApiInvoicePayment;
  /** Changes an invoice and records `invoice.updated` (or the event `type`). */
  updateInvoice(id: string, patch: Partial<ApiInvoice>, type?: Stripe.Event.Type): ApiInvoice;
  /** Changes a customer and records `customer.updated`. */
  updateCustomer(id: string, patch: Partial<ApiCustomer>): ApiCustomer;
  /**
   * The next `times` requests matching `match` (`"GET /v1/customers"`), after letting `skip` of
   * them through, get `status` (with `headers`) instead.
   */
  fail(
    times: number,
    status: number,
    options?: { headers?: Record<string, string>; match?: RegExp; code?: string; skip?: number },
  ): void;
  /** Requests with the key answer 401 `api_key_expired` from now on. */
  expireKey(): void;
  /**
   * The next write is applied, then answered only after `ms`, or not at all when the client
   * gives up before (a write applied whose answer is lost).
   */
  answerNextWriteAfter(ms: number): void;
  invoices: Map<string, ApiInvoice>;
  creditNotes: ApiCreditNote[];
  /** Writes applied (replays excluded). */
  applied: number;
  /** Every request received: method, path, query and Idempotency-Key header. */
  requests: Array<{ method: string; path: string; query: string; idempotencyKey?: string }>;
}

interface Fault {
  times: number;
  skip: number;
  status: number;
  headers: Record<string, string>;
  match: RegExp | undefined;
  code: string | undefined;
}

const DAY = 86_400;

/**
 * A fake Stripe API in memory, with no server and no Node built-ins (it runs in workerd too):
 * `handle` answers requests. `startFakeStripe` (Node) serves it on a loopback port.
 */
export function createFakeStripe(options: { key?: string; start?: number } = {}): FakeStripeApi {
  const key = options.key ?? "sk_test_fake_0123456789";
  let clock = options.start ?? Date.parse("2026-10-01T00:00:00Z") / 1000;
  const tick = () => ++clock;
  const counters = new Map<string, number>();
  const nextId = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${String(n).padStart(6, "0")}`;
  };
  const customers = new Map<string, ApiCustomer>();
  const subscriptions = new Map<string, ApiSubscription>();
  const invoices = new Map<string, ApiInvoice>();
  const payments = new Map<string, ApiInvoicePayment>();
  const creditNotes: ApiCreditNote[] = [];
  const events: ApiEvent[] = [];
  const faults: Fault[] = [];
  const idempotent = new Map<string, { request: string; status: number; body: unknown }>();
  let expired = false;
  let slowNextWrite = 0;

  const record = (type: Stripe.Event.Type, object: ApiEventObject) => {
    events.push({
      id: nextId("evt"),
      object: "event",
      type,
      created: tick(),
      data: { object: structuredClone(object) },
    });
  };

  const fake: FakeStripeApi = {
    handle: (request) => handle(request).catch((e: unknown) => send(500, error("api_error", String(e)))),
    key,
    invoices,
    creditNotes,
    applied: 0,
    requests: [],
    addCustomer(fields = {}) {
      const id = fields.id ?? nextId("cus");
      const customer: ApiCustomer = {
        id,
        object: "customer",
        name: `Customer ${id}`,
        email: `billing@${id.replace("_", "-")}.example`,
        currency: "usd",
        address: { city: null, country: "US", line1: null, line2: null, postal_code: null, state: null },
        created: tick(),
        ...fields,
      };
      customers.set(id, customer);
      record("customer.created", customer);
      return customer;
    },
    addSubscription(customer, f) {
      const id = nextId("sub");
      const price = nextId("price");
      const created = tick();
      const subscription: ApiSubscription = {
        id,
        object: "subscription",
        customer,
        status: f.status ?? "active",
        start_date: created,
        canceled_at: f.status === "canceled" ? created + 30 * DAY : null,
        ended_at: f.status === "canceled" ? created + 30 * DAY : null,
        currency: f.currency ?? "usd",
        created,
        items: {
          object: "list",
          has_more: false,
          url: `/v1/subscription_items?subscription=${id}`,
          data: [
            {
              id: nextId("si"),
              object: "subscription_item",
              quantity: f.quantity ?? 1,
              price: {
                id: price,
                object: "price",
                currency: f.currency ?? "usd",
                unit_amount: f.amount,
                nickname: `Plan ${price}`,
                product: nextId("prod"),
                recurring: { interval: f.interval ?? "month", interval_count: 1 },
              },
            },
          ],
        },
      };
      subscriptions.set(id, subscription);
      record("customer.subscription.created", subscription);
      return subscription;
    },
    addInvoice(customer, f) {
      const id = nextId("in");
      const created = f.created ?? tick();
      const status = f.status ?? "open";
      const invoice: ApiInvoice = {
        id,
        object: "invoice",
        customer,
        status,
        currency: f.currency ?? "usd",
        created,
        due_date: created + (f.dueDays ?? 30) * DAY,
        amount_due: f.amount,
        amount_paid: status === "paid" ? f.amount : 0,
        amount_remaining: status === "open" ? f.amount : 0,
        pre_payment_credit_notes_amount: 0,
        post_payment_credit_notes_amount: 0,
        status_transitions: {
          finalized_at: status === "draft" ? null : created,
          paid_at: status === "paid" ? created + DAY : null,
          voided_at: status === "void" ? created + DAY : null,
        },
        parent: f.subscription
          ? { type: "subscription_details", subscription_details: { subscription: f.subscription } }
          : null,
      };
      invoices.set(id, invoice);
      record("invoice.finalized", invoice);
      return invoice;
    },
    addPayment(invoiceId, amount) {
      const invoice = invoices.get(invoiceId);
      if (!invoice) throw new Error(`no invoice ${invoiceId}`);
      const at = tick();
      const payment: ApiInvoicePayment = {
        id: nextId("inpay"),
        object: "invoice_payment",
        amount_paid: amount,
        currency: invoice.currency,
        status: "paid",
        created: at,
        status_transitions: { paid_at: at, canceled_at: null },
        invoice: invoiceId,
        payment: { type: "payment_intent" },
      };
      payments.set(payment.id, payment);
      invoice.amount_paid += amount;
      invoice.amount_remaining = Math.max(0, invoice.amount_remaining - amount);
      if (invoice.amount_remaining === 0) {
        invoice.status = "paid";
        invoice.status_transitions.paid_at = at;
      }
      record("invoice_payment.paid", payment);
      record(invoice.status === "paid" ? "invoice.paid" : "invoice.updated", invoice);
      return payment;
    },
    updateInvoice(id, patch, type = "invoice.updated") {
      const invoice = invoices.get(id);
      if (!invoice) throw new Error(`no invoice ${id}`);
      Object.assign(invoice, patch);
      record(type, invoice);
      return invoice;
    },
    updateCustomer(id, patch) {
      const customer = customers.get(id);
      if (!customer) throw new Error(`no customer ${id}`);
      Object.assign(customer, patch);
      record("customer.updated", customer);
      return customer;
    },
    fail(times, status, o = {}) {
      faults.push({
        times,
        skip: o.skip ?? 0,
        status,
        headers: o.headers ?? {},
        match: o.match,
        code: o.code,
      });
    },
    expireKey() {
      expired = true;
    },
    answerNextWriteAfter(ms) {
      slowNextWrite = ms;
    },
  };

  const error = (type: string, message: string, code?: string, param?: string): ApiErrorBody => ({
    error: { type, message, ...(code ? { code } : {}), ...(param ? { param } : {}) },
  });

  /** Stripe's list page of `all` (newest first) for the cursor params. */
  function listPage<T extends { id: string }>(
    all: T[],
    params: URLSearchParams,
    path: string,
  ): ApiList<T> | undefined {
    const limit = Math.min(100, Math.max(1, Number(params.get("limit") ?? 10)));
    const after = params.get("starting_after");
    const before = params.get("ending_before");
    let data: T[];
    let hasMore: boolean;
    if (before) {
      const at = all.findIndex((o) => o.id === before);
      if (at < 0) return undefined;
      const from = Math.max(0, at - limit);
      data = all.slice(from, at);
      hasMore = from > 0;
    } else {
      const at = after ? all.findIndex((o) => o.id === after) : -1;
      if (after && at < 0) return undefined;
      data = all.slice(at + 1, at + 1 + limit);
      hasMore = at + 1 + limit < all.length;
    }
    return { object: "list", url: path, has_more: hasMore, data };
  }

  const newestFirst = <T>(map: Map<string, T> | T[]) =>
    [...(map instanceof Map ? map.values() : map)].reverse();
  const expand = (params: URLSearchParams, what: string) =>
    [...params.entries()].some(([k, v]) => k.startsWith("expand") && v === what);
  const withInvoice = (p: ApiInvoicePayment): ApiInvoicePayment => ({
    ...p,
    invoice: structuredClone(
      invoices.get(typeof p.invoice === "string" ? p.invoice : p.invoice.id) as ApiInvoice,
    ),
  });

  function route(method: string, path: string, params: URLSearchParams): { status: number; body: unknown } {
    const lists: Record<string, () => Array<{ id: string }>> = {
      "/v1/customers": () => newestFirst(customers),
      "/v1/subscriptions": () =>
        newestFirst(subscriptions).filter((s) => params.get("status") === "all" || s.status !== "canceled"),
      "/v1/invoices": () => newestFirst(invoices),
      "/v1/invoice_payments": () =>
        newestFirst(payments).map((p) => (expand(params, "data.invoice") ? withInvoice(p) : p)),
      "/v1/events": () => newestFirst(events),
      "/v1/credit_notes": () => newestFirst(creditNotes),
    };
    const list = lists[path];
    if (method === "GET" && list) {
      const page = listPage(list(), params, path);
      if (!page) {
        const id = params.get("starting_after") ?? params.get("ending_before");
        return {
          status: 404,
          body: error("invalid_request_error", `No such object: '${id}'`, "resource_missing"),
        };
      }
      return { status: 200, body: page };
    }
    const payment = /^\/v1\/invoice_payments\/([\w]+)$/.exec(path);
    if (method === "GET" && payment) {
      const found = payments.get(payment[1] as string);
      if (!found)
        return {
          status: 404,
          body: error("invalid_request_error", "No such invoice payment", "resource_missing"),
        };
      return { status: 200, body: expand(params, "invoice") ? withInvoice(found) : found };
    }
    if (method === "POST" && path === "/v1/credit_notes") return createCreditNote(params);
    const pay = /^\/v1\/invoices\/([\w]+)\/pay$/.exec(path);
    if (method === "POST" && pay) return payInvoice(pay[1] as string, params);
    return {
      status: 404,
      body: error("invalid_request_error", `Unrecognized request URL (${method}: ${path}).`),
    };
  }

  function createCreditNote(params: URLSearchParams): { status: number; body: unknown } {
    const invoice = invoices.get(params.get("invoice") ?? "");
    if (!invoice) {
      return {
        status: 404,
        body: error(
          "invalid_request_error",
          `No such invoice: '${params.get("invoice")}'`,
          "resource_missing",
          "invoice",
        ),
      };
    }
    const amount = Number(params.get("amount"));
    const credited = invoice.pre_payment_credit_notes_amount + invoice.post_payment_credit_notes_amount;
    if (invoice.status !== "open" && invoice.status !== "paid") {
      return {
        status: 400,
        body: error(
          "invalid_request_error",
          `Invoice ${invoice.id} is ${invoice.status}; credit notes need an open or paid invoice.`,
          "invoice_not_editable",
          "invoice",
        ),
      };
    }
    if (!Number.isInteger(amount) || amount <= 0 || amount > invoice.amount_due - credited) {
      return {
        status: 400,
        body: error(
          "invalid_request_error",
          `The credit note amount (${amount}) exceeds the invoice's remaining creditable amount (${invoice.amount_due - credited}).`,
          "credit_note_amount_invalid",
          "amount",
        ),
      };
    }
    const note: ApiCreditNote = {
      id: nextId("cn"),
      object: "credit_note",
      invoice: invoice.id,
      amount,
      currency: invoice.currency,
      created: tick(),
    };
    creditNotes.push(note);
    if (invoice.status === "paid") invoice.post_payment_credit_notes_amount += amount;
    else {
      invoice.pre_payment_credit_notes_amount += amount;
      invoice.amount_remaining -= amount;
      if (invoice.amount_remaining === 0) invoice.status = "paid";
    }
    record("invoice.updated", invoice);
    return { status: 200, body: note };
  }

  function payInvoice(id: string, params: URLSearchParams): { status: number; body: unknown } {
    const invoice = invoices.get(id);
    if (!invoice)
      return {
        status: 404,
        body: error("invalid_request_error", `No such invoice: '${id}'`, "resource_missing"),
      };
    if (params.get("paid_out_of_band") !== "true") {
      return {
        status: 400,
        body: error(
          "invalid_request_error",
          "This fake only pays out of band.",
          "parameter_missing",
          "paid_out_of_band",
        ),
      };
    }
    if (invoice.status !== "open") {
      return {
        status: 400,
        body: error(
          "invalid_request_error",
          `Invoice is already ${invoice.status}.`,
          "invoice_unexpected_state",
        ),
      };
    }
    invoice.amount_paid += invoice.amount_remaining;
    invoice.amount_remaining = 0;
    invoice.status = "paid";
    invoice.status_transitions.paid_at = tick();
    record("invoice.paid", invoice);
    return { status: 200, body: invoice };
  }

  const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", "request-id": `req_${clock}`, ...headers },
    });

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method;
    const idemKey = request.headers.get("idempotency-key") ?? undefined;
    fake.requests.push({
      method,
      path: url.pathname,
      query: url.search,
      ...(idemKey ? { idempotencyKey: idemKey } : {}),
    });
    const body = await request.text();
    const fault = faults.find((f) => f.times > 0 && (!f.match || f.match.test(`${method} ${url.pathname}`)));
    if (fault && fault.skip > 0) fault.skip--;
    else if (fault) {
      fault.times--;
      const type =
        fault.status === 429
          ? "rate_limit_error"
          : fault.status >= 500
            ? "api_error"
            : "invalid_request_error";
      return send(
        fault.status,
        error(
          type,
          `Injected ${fault.status}.`,
          fault.code ?? (fault.status === 429 ? "rate_limit" : undefined),
        ),
        fault.headers,
      );
    }
    const auth = request.headers.get("authorization") ?? "";
    if (auth !== `Bearer ${key}`) {
      return send(401, error("invalid_request_error", `Invalid API Key provided: ${auth.slice(7, 15)}****`));
    }
    if (expired) {
      return send(
        401,
        error(
          "invalid_request_error",
          `Expired API Key provided: ${key.slice(0, 8)}****. Roll the key in the Dashboard.`,
          "api_key_expired",
        ),
      );
    }
    const params = method === "GET" ? url.searchParams : new URLSearchParams(body);
    if (method === "POST" && idemKey) {
      const seen = idempotent.get(idemKey);
      const signature = `${url.pathname}?${body}`;
      if (seen) {
        if (seen.request !== signature) {
          return send(
            400,
            error(
              "idempotency_error",
              `Keys for idempotent requests can only be used with the same parameters they were first used with.`,
            ),
          );
        }
        return send(seen.status, seen.body, { "idempotent-replayed": "true", "idempotency-key": idemKey });
      }
      const answer = route(method, url.pathname, params);
      idempotent.set(idemKey, { request: signature, ...answer });
      if (answer.status === 200) fake.applied++;
      if (slowNextWrite > 0) {
        const wait = slowNextWrite;
        slowNextWrite = 0;
        // Answer after `wait`, or never when the client gives up first (its timeout).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait) as { unref?: () => void };
          timer.unref?.();
          request.signal.addEventListener("abort", () => resolve(), { once: true });
        });
      }
      return send(answer.status, answer.body, { "idempotency-key": idemKey });
    }
    const answer = route(method, url.pathname, params);
    if (method === "POST" && answer.status === 200) fake.applied++;
    return send(answer.status, answer.body);
  }

  return fake;
}

import type {
  DomainRow,
  PushResult,
  RejectedRow,
  SourceWrite,
  SyncPage,
  SyncSource,
} from "@toolpacks/pack-kit";
import { appendAll, SyncError } from "@toolpacks/pack-kit";
import type Stripe from "stripe";
import { stripeError } from "./errors.js";
import { pushToStripe } from "./push.js";
import { customerRows, invoicePaymentRows, invoiceRows, type Mapped, subscriptionRows } from "./rows.js";
import type { ApiCustomer, ApiEvent, ApiInvoice, ApiInvoicePayment, ApiSubscription } from "./shapes.js";

/** The first-load streams, parents first, then the Events API for increments. */
export const STRIPE_STREAMS = [
  "customers",
  "subscriptions",
  "invoices",
  "invoice_payments",
  "events",
] as const;

/** A first-load stream's cursor once it has read everything (increments come from events). */
const DONE = "done";
/** The events cursor when Stripe held no event at the first load: read from the oldest. */
const FROM_OLDEST = "oldest";

/** Options of `stripeSource`. */
export interface StripeSourceOptions {
  /** Records per committed page (and per list request). Default 100, Stripe's maximum. */
  pageSize?: number;
}

type Lister<T> = (params: { limit: number; starting_after?: string }) => AsyncIterable<T>;

/**
 * Stripe as a sync source of the billing pack. First load: customers, subscriptions (all
 * statuses), invoices and invoice payments (invoice expanded) through list auto-pagination,
 * each stream committed page by page with the id of its last record as cursor. Before that first
 * load it saves the newest event's id, so everything that changes while it runs arrives through
 * the Events API afterwards; every later run reads only the events after the saved one, oldest
 * first (customer, subscription, invoice and invoice-payment events; the event's object is the
 * record as it was then). Stripe keeps events 30 days: a cursor older than that is
 * `cursor_expired` (run with `--full`).
 */
export function stripeSource(stripe: Stripe, options: StripeSourceOptions = {}): SyncSource {
  const limit = options.pageSize ?? 100;
  const lists: Record<
    Exclude<(typeof STRIPE_STREAMS)[number], "events">,
    [string, Lister<unknown>, (o: never) => Mapped]
  > = {
    customers: ["listing customers", (p) => stripe.customers.list(p), customerRows],
    subscriptions: [
      "listing subscriptions",
      (p) => stripe.subscriptions.list({ ...p, status: "all" }),
      subscriptionRows,
    ],
    invoices: ["listing invoices", (p) => stripe.invoices.list(p), invoiceRows],
    invoice_payments: [
      "listing invoice payments",
      (p) => stripe.invoicePayments.list({ ...p, expand: ["data.invoice"] }),
      invoicePaymentRows,
    ],
  };
  return {
    system: "stripe",
    streams: STRIPE_STREAMS,
    async *pull({ cursors }) {
      let doing = "reading the newest event";
      try {
        let eventsCursor = cursors.get("events");
        if (eventsCursor === undefined) {
          const newest = await stripe.events.list({ limit: 1 });
          eventsCursor = newest.data[0]?.id ?? FROM_OLDEST;
          yield page("events", eventsCursor, []);
        }
        for (const [stream, [what, list, map]] of Object.entries(lists)) {
          const cursor = cursors.get(stream);
          if (cursor === DONE) continue;
          doing = what;
          const params = { limit, ...(cursor ? { starting_after: cursor } : {}) };
          let batch: Mapped[] = [];
          let last = cursor;
          for await (const object of list(params) as AsyncIterable<{ id: string }>) {
            batch.push((map as (o: unknown) => Mapped)(object));
            last = object.id;
            if (batch.length === limit) {
              yield page(stream, last, batch);
              batch = [];
            }
          }
          if (batch.length > 0 && last) yield page(stream, last, batch);
          yield page(stream, DONE, []);
        }
        doing = "listing events";
        yield* events(stripe, eventsCursor, limit);
      } catch (error) {
        throw stripeError(error, doing);
      }
    },
    push: (write: SourceWrite, key: string): Promise<PushResult> => pushToStripe(stripe, write, key),
  };
}

function page(stream: string, cursor: string, mapped: readonly Mapped[]): SyncPage {
  const rows: DomainRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const m of mapped) {
    appendAll(rows, m.rows);
    appendAll(rejected, m.rejected);
  }
  return { stream, cursor, rows, rejected };
}

/** Events after `cursor`, oldest first, a page (and its cursor) at a time. */
async function* events(stripe: Stripe, cursor: string, limit: number): AsyncIterable<SyncPage> {
  let ordered: AsyncIterable<ApiEvent> | Iterable<ApiEvent>;
  if (cursor === FROM_OLDEST) {
    // No event to start after: Stripe lists newest first, so read them all and reverse.
    const all: ApiEvent[] = [];
    for await (const event of stripe.events.list({ limit })) all.push(event as ApiEvent);
    ordered = all.reverse();
  } else {
    // `ending_before` walks toward newer events; the client yields each page oldest first.
    ordered = stripe.events.list({ limit, ending_before: cursor }) as AsyncIterable<ApiEvent>;
  }
  let batch: Mapped[] = [];
  let last: string | undefined;
  try {
    for await (const event of ordered) {
      batch.push(await eventRows(stripe, event));
      last = event.id;
      if (batch.length === limit) {
        yield page("events", last, batch);
        batch = [];
      }
    }
  } catch (error) {
    const e = error as { statusCode?: number; code?: string };
    if (cursor !== FROM_OLDEST && e.statusCode === 404 && e.code === "resource_missing") {
      throw new SyncError(
        "cursor_expired",
        `Stripe no longer has event ${cursor}, where the last sync stopped (Stripe keeps events 30 days). Fix: run the sync with --full to read every record again; rows are matched on their ids, so nothing is duplicated.`,
        { cause: error },
      );
    }
    throw error;
  }
  if (batch.length > 0 && last) yield page("events", last, batch);
}

async function eventRows(stripe: Stripe, event: ApiEvent): Promise<Mapped> {
  const [kind] = event.type.split(".");
  const object = event.data.object;
  // customer.deleted keeps the account: its invoices and payments stay history.
  if (kind === "customer" && object.object === "customer") return customerRows(object as ApiCustomer);
  if (object.object === "subscription") {
    return subscriptionRows(object as ApiSubscription);
  }
  if (kind === "invoice" && object.object === "invoice") return invoiceRows(object as ApiInvoice);
  if (kind === "invoice_payment" && object.object === "invoice_payment") {
    const payment = object as ApiInvoicePayment;
    if (payment.status !== "paid") return { rows: [], rejected: [] };
    // The event names the invoice by id; the payment's account is the invoice's customer.
    const expanded = await stripe.invoicePayments.retrieve(payment.id, { expand: ["invoice"] });
    return invoicePaymentRows(expanded as ApiInvoicePayment);
  }
  return { rows: [], rejected: [] };
}

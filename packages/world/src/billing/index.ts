import { dayOf, isoDate, monthStart } from "../calendar.js";
import type { WorldContext } from "../context.js";
import { salesOrderAt } from "../erp/orders.js";
import { entityRng } from "../random.js";
import { type IndexRange, resolveRange } from "../range.js";
import { dealNumber } from "../shared/ids.js";
import { settleInvoice } from "./settlement.js";
import { mrrEventsOf, PLANS, subscriptionFor } from "./subscriptions.js";
import type {
  BillingAccount,
  BillingCreditNote,
  BillingInvoice,
  BillingInvoiceLine,
  BillingMrrEvent,
  BillingPayment,
  BillingPlan,
  BillingSubscription,
  InvoiceBundle,
} from "./types.js";

/** Months of subscription invoices kept before `asOf`. */
const INVOICE_MONTHS = 12;

/**
 * Generators of the billing system's rows. `invoiceBundles` yields subscription
 * invoices (range over customer indexes) then sales-order invoices (range over deal
 * indexes) when no range is given; use the two `*Invoices` variants for slices.
 */
export interface BillingWorld {
  accounts(): Generator<BillingAccount>;
  plans(): Generator<BillingPlan>;
  subscriptions(range?: IndexRange): Generator<BillingSubscription>;
  /** The MRR history of every subscription: `new` on its start, `churn` on its cancellation. */
  mrrEvents(range?: IndexRange): Generator<BillingMrrEvent>;
  subscriptionInvoices(range?: IndexRange): Generator<InvoiceBundle>;
  orderInvoices(range?: IndexRange): Generator<InvoiceBundle>;
  invoiceBundles(): Generator<InvoiceBundle>;
  invoices(): Generator<BillingInvoice>;
  /** The lines of every sales-order invoice (copied from the shipped order's lines). */
  invoiceLines(): Generator<BillingInvoiceLine>;
  payments(): Generator<BillingPayment>;
  creditNotes(): Generator<BillingCreditNote>;
}

/** The billing view of a world. */
export function billingWorld(ctx: WorldContext): BillingWorld {
  function* subscriptionInvoices(range?: IndexRange): Generator<InvoiceBundle> {
    const { start, end } = resolveRange(range, ctx.plan.customers);
    const firstMonth = monthStart(ctx.asOfDay, -INVOICE_MONTHS + 1);
    for (let i = start; i < end; i++) {
      const sub = subscriptionFor(ctx, i);
      if (!sub) continue;
      const account = ctx.customers[i]!;
      const stop = sub.cancelled_on === null ? ctx.asOfDay : dayOf(sub.cancelled_on) - 1;
      for (let m = 0; m < INVOICE_MONTHS; m++) {
        const day = monthStart(firstMonth, m);
        if (day < dayOf(sub.started_on) || day > stop) continue;
        const r = entityRng(ctx.seed, "subscription-invoice", i * 16 + m);
        const draft = {
          id: `INV-S${account.id.slice(2)}-${isoDate(day).slice(0, 7).replace("-", "")}`,
          account,
          subscriptionId: sub.id,
          salesOrderId: null,
          lines: [],
          issuedDay: day,
          amountMinor: sub.price_minor,
          currency: sub.currency,
        };
        yield settleInvoice(r, draft, ctx.asOfDay);
      }
    }
  }
  function* orderInvoices(range?: IndexRange): Generator<InvoiceBundle> {
    const { start, end } = resolveRange(range, ctx.plan.deals);
    for (let i = start; i < end; i++) {
      const so = salesOrderAt(ctx, i);
      if (so?.order.status !== "shipped") continue;
      const r = entityRng(ctx.seed, "order-invoice", i);
      const id = `INV-O${dealNumber(so.order.deal_id)}`;
      const draft = {
        id,
        account: ctx.customers[Number(so.order.customer_id.slice(2)) - 1]!,
        subscriptionId: null,
        salesOrderId: so.order.id,
        lines: so.lines.map((l) => ({
          invoice_id: id,
          line_no: l.line_no,
          sku: l.sku,
          quantity: l.quantity,
          unit_price_minor: l.unit_price_minor,
          amount_minor: l.amount_minor,
        })),
        issuedDay: dayOf(so.order.ship_date),
        amountMinor: so.order.total_minor,
        currency: so.order.currency,
      };
      yield settleInvoice(r, draft, ctx.asOfDay);
    }
  }
  function* invoiceBundles(): Generator<InvoiceBundle> {
    yield* subscriptionInvoices();
    yield* orderInvoices();
  }
  return {
    *accounts() {
      for (const c of ctx.customers) {
        yield {
          id: c.id,
          name: c.name,
          country: c.country,
          currency: c.currency,
          payment_terms_days: c.payment_terms_days,
        };
      }
    },
    *plans() {
      for (const p of PLANS) yield { ...p };
    },
    *subscriptions(range) {
      const { start, end } = resolveRange(range, ctx.plan.customers);
      for (let i = start; i < end; i++) {
        const sub = subscriptionFor(ctx, i);
        if (sub) yield sub;
      }
    },
    subscriptionInvoices,
    orderInvoices,
    invoiceBundles,
    *invoices() {
      for (const b of invoiceBundles()) yield b.invoice;
    },
    *invoiceLines() {
      for (const b of orderInvoices()) yield* b.lines;
    },
    *mrrEvents(range) {
      const { start, end } = resolveRange(range, ctx.plan.customers);
      for (let i = start; i < end; i++) {
        const sub = subscriptionFor(ctx, i);
        if (sub) yield* mrrEventsOf(sub);
      }
    },
    *payments() {
      for (const b of invoiceBundles()) yield* b.payments;
    },
    *creditNotes() {
      for (const b of invoiceBundles()) yield* b.creditNotes;
    },
  };
}

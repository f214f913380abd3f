import { addDays, defineTool, sqlFor } from "@toolpacks/pack-kit";
import { z } from "zod";
import { daysPastDueSql, OPEN_AMOUNT_SQL, OPEN_SQL, oldestDaysPastDueSql } from "../invoices-sql.js";
import { requireAccount } from "../lookups.js";
import { accountIdSchema, currencySchema, minor } from "../schemas.js";

/** Days of settled invoices the payment behaviour looks at. */
const BEHAVIOUR_DAYS = 365;

/** An amount of this account, in its own currency (`account.currency`). */
const accountMinor = minor.describe("in the account's currency");

/** One account's balance and how it pays. */
export const customerBalance = defineTool({
  name: "customer_balance",
  title: "Customer balance and payment behaviour",
  description:
    "Returns one billing account's position as of the billing system's date: open balance, overdue balance, overdue flag and " +
    "oldest days overdue (amounts in the account's currency, integer minor units); payment behaviour over " +
    "invoices settled in the last 12 months: average days late (days after due date, early counts as 0), " +
    "on-time ratio, average days to pay; last payment date; current subscription MRR; and the 5 oldest " +
    "open invoices with ids. Ids only, no names or contacts.",
  input: z.object({
    account_id: accountIdSchema.describe(
      "billing account id = CRM account id = ERP customer id, e.g. C-000042; an unknown id is a not_found tool error",
    ),
  }),
  output: z.object({
    as_of: z.string(),
    account: z.object({
      id: z.string(),
      currency: currencySchema,
      country: z.string(),
      payment_terms_days: z.number().int(),
    }),
    balance: z.object({
      open_minor: accountMinor,
      overdue_minor: accountMinor,
      overdue: z.boolean(),
      open_invoices: z.number().int(),
      overdue_invoices: z.number().int(),
      oldest_days_overdue: z.number().int().describe("0 when nothing is overdue"),
    }),
    behaviour_12m: z.object({
      settled_invoices: z.number().int(),
      avg_days_late: z.number().nullable().describe("null without settled invoices; one decimal"),
      on_time_ratio: z
        .number()
        .nullable()
        .describe("share settled on or before the due date, 0..1, two decimals"),
      avg_days_to_pay: z.number().nullable(),
      invoiced_minor: accountMinor,
      credited_minor: accountMinor,
    }),
    last_payment_on: z.string().nullable(),
    mrr_minor: minor.describe("current subscription MRR in the account's currency"),
    oldest_open_invoices: z.array(
      z.object({
        id: z.string(),
        due_on: z.string(),
        open_minor: accountMinor,
        days_overdue: z.number().int(),
      }),
    ),
  }),
  scope: "billing:read",
  budgetTokens: 600,
  examples: [{ account_id: "C-000001" }],
  async handler({ account_id }, { store, asOf }) {
    const sql = sqlFor(store.dialect);
    const account = await requireAccount(store, account_id);
    const open = await store.first<{
      open_minor: number | null;
      overdue_minor: number | null;
      open_invoices: number;
      overdue_invoices: number | null;
      oldest: number | null;
    }>(
      `SELECT SUM(${OPEN_AMOUNT_SQL}) AS open_minor,
         SUM(CASE WHEN due_on < ? THEN ${OPEN_AMOUNT_SQL} ELSE 0 END) AS overdue_minor,
         COUNT(*) AS open_invoices, SUM(CASE WHEN due_on < ? THEN 1 ELSE 0 END) AS overdue_invoices, ${oldestDaysPastDueSql(sql)} AS oldest
       FROM billing_invoices WHERE account_id = ? AND ${OPEN_SQL}`,
      [asOf, asOf, asOf, account_id],
    );
    const since = addDays(asOf, -BEHAVIOUR_DAYS);
    const behaviour = await store.first<{
      settled: number;
      late: number | null;
      on_time: number | null;
      to_pay: number | null;
    }>(
      `SELECT COUNT(*) AS settled,
         AVG(${sql.greatest("0", sql.daysBetween("settled_on", "due_on"))}) AS late,
         AVG(CASE WHEN settled_on <= due_on THEN 1 ELSE 0 END) AS on_time,
         AVG(${sql.daysBetween("settled_on", "issued_on")}) AS to_pay
       FROM billing_invoices WHERE account_id = ? AND settled_on IS NOT NULL AND settled_on > ?`,
      [account_id, since],
    );
    const invoiced = await store.first<{ invoiced: number | null }>(
      "SELECT SUM(amount_minor) AS invoiced FROM billing_invoices WHERE account_id = ? AND issued_on > ?",
      [account_id, since],
    );
    const credited = await store.first<{ credited: number | null }>(
      "SELECT SUM(amount_minor) AS credited FROM billing_credit_notes WHERE invoice_id IN (SELECT id FROM billing_invoices WHERE account_id = ?) AND issued_on > ?",
      [account_id, since],
    );
    const lastPayment = await store.first<{ last: string | null }>(
      "SELECT MAX(paid_on) AS last FROM billing_payments WHERE account_id = ?",
      [account_id],
    );
    const mrr = await store.first<{ mrr: number | null }>(
      // Each subscription's latest event up to as_of carries its MRR (a primary-key seek each).
      `SELECT SUM(e.mrr_minor) AS mrr FROM billing_mrr_events e
       WHERE e.subscription_id IN (SELECT id FROM billing_subscriptions WHERE account_id = ?)
         AND e.effective_on = (SELECT MAX(l.effective_on) FROM billing_mrr_events l
           WHERE l.subscription_id = e.subscription_id AND l.effective_on <= ?)`,
      [account_id, asOf],
    );
    const oldest = await store.all<{ id: string; due_on: string; open_minor: number; days_overdue: number }>(
      `SELECT id, due_on, ${OPEN_AMOUNT_SQL} AS open_minor, ${sql.greatest("0", daysPastDueSql(sql))} AS days_overdue
       FROM billing_invoices WHERE account_id = ? AND ${OPEN_SQL} ORDER BY due_on, id LIMIT 5`,
      [asOf, account_id],
    );
    const round = (value: number | null | undefined, digits: number) =>
      value === null || value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits;
    const settled = behaviour?.settled ?? 0;
    const overdueMinor = open?.overdue_minor ?? 0;
    return {
      as_of: asOf,
      account: {
        id: account.id,
        currency: account.currency as z.infer<typeof currencySchema>,
        country: account.country,
        payment_terms_days: account.payment_terms_days,
      },
      balance: {
        open_minor: open?.open_minor ?? 0,
        overdue_minor: overdueMinor,
        overdue: overdueMinor > 0,
        open_invoices: open?.open_invoices ?? 0,
        overdue_invoices: open?.overdue_invoices ?? 0,
        oldest_days_overdue: Math.max(0, open?.oldest ?? 0),
      },
      behaviour_12m: {
        settled_invoices: settled,
        avg_days_late: settled === 0 ? null : round(behaviour?.late, 1),
        on_time_ratio: settled === 0 ? null : round(behaviour?.on_time, 2),
        avg_days_to_pay: settled === 0 ? null : round(behaviour?.to_pay, 1),
        invoiced_minor: invoiced?.invoiced ?? 0,
        credited_minor: credited?.credited ?? 0,
      },
      last_payment_on: lastPayment?.last ?? null,
      mrr_minor: mrr?.mrr ?? 0,
      oldest_open_invoices: oldest,
    };
  },
});

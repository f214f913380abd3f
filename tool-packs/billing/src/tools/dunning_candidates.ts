import {
  addDays,
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  type SqlFragments,
  sqlFor,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { DUNNING_RULE, DUNNING_STAGES, dunningStage } from "../dunning.js";
import { OPEN_AMOUNT_SQL, OPEN_SQL, oldestDaysPastDueSql } from "../invoices-sql.js";
import { sumInReporting, usdSql } from "../money.js";
import { currencySchema, minDaysOverdueSchema, minor, reportingCurrency } from "../schemas.js";

/** A dunning stage, with the day ranges that decide it (the compact declarations carry them). */
const stageSchema = z
  .enum(DUNNING_STAGES)
  .describe(`dunning stage by the oldest overdue invoice: ${DUNNING_RULE}`);

const candidate = z.object({
  account_id: z.string(),
  currency: currencySchema,
  overdue_minor: minor,
  overdue_invoices: z.number().int(),
  oldest_days_overdue: z.number().int(),
  stage: stageSchema,
  last_payment_on: z.string().nullable(),
});

type Candidate = z.infer<typeof candidate>;

// Per account: its overdue invoices (a range of the open-invoice partial index), its stage.
const perAccount = (
  sql: SqlFragments,
) => `SELECT account_id, currency, SUM(${OPEN_AMOUNT_SQL}) AS overdue_minor, COUNT(*) AS overdue_invoices,
    ${oldestDaysPastDueSql(sql)} AS oldest_days_overdue
  FROM billing_invoices WHERE ${OPEN_SQL} AND due_on <= ? GROUP BY account_id, currency`;

/** Accounts to chase, with the dunning stage each is due for. */
export const dunningCandidates = defineTool({
  name: "dunning_candidates",
  title: "Dunning candidates",
  description:
    "Accounts with overdue invoices to chase, as of the billing system's date, with the dunning stage each " +
    `is due for by its oldest overdue invoice: ${DUNNING_RULE}. Returns totals per stage (accounts, overdue ` +
    "USD), and one page of accounts (largest overdue amount in USD first) with overdue amount in the account's " +
    "currency, overdue invoice count, oldest days overdue and last payment date, ids only, with a cursor. " +
    "Filter by minimum days overdue, minimum overdue amount (USD cents) or stage.",
  input: z.object({
    min_days_overdue: minDaysOverdueSchema,
    min_overdue_usd_minor: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("only accounts owing at least this much (USD cents)"),
    stage: stageSchema.optional().describe(`only accounts due for this stage: ${DUNNING_RULE}`),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 20 }),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
    totals: z.object({ accounts: z.number().int(), overdue_usd_minor: minor }),
    by_stage: z.array(z.object({ stage: stageSchema, accounts: z.number().int(), overdue_usd_minor: minor })),
    candidates: z.array(candidate),
    next_cursor: nextCursorSchema,
  }),
  scope: "billing:read",
  budgetTokens: 1800,
  examples: [
    {},
    { stage: "collections", limit: 5 },
    { min_days_overdue: 30, min_overdue_usd_minor: 100_000 },
  ],
  async handler({ min_days_overdue, min_overdue_usd_minor, stage, limit, cursor }, { store, asOf }) {
    const filters = { min_days_overdue, min_overdue_usd_minor, stage };
    const offset = decodeCursor(cursor, filters);
    // One pass over the overdue slice; stages, totals and the page are cut from it here, so the
    // grouping runs once per call rather than once per figure.
    const all = await store.all<Omit<Candidate, "stage" | "last_payment_on">>(
      `SELECT account_id, currency, overdue_minor, overdue_invoices, oldest_days_overdue FROM (${perAccount(sqlFor(store.dialect))}) overdue
       WHERE ${usdSql("overdue_minor")} >= ? ORDER BY ${usdSql("overdue_minor")} DESC, account_id`,
      [asOf, addDays(asOf, -min_days_overdue), min_overdue_usd_minor],
    );
    const staged = all
      .map((row) => ({ ...row, stage: dunningStage(row.oldest_days_overdue) }))
      .filter((row) => stage === undefined || row.stage === stage);
    const pageRows = staged.slice(offset, offset + limit);
    const marks = pageRows.map(() => "?").join(", ");
    const payments = pageRows.length
      ? await store.all<{ account_id: string; last: string }>(
          `SELECT account_id, MAX(paid_on) AS last FROM billing_payments WHERE account_id IN (${marks}) GROUP BY account_id`,
          pageRows.map((r) => r.account_id),
        )
      : [];
    const lastPayment = new Map(payments.map((p) => [p.account_id, p.last]));
    const stages = [...staged];
    const byStage = DUNNING_STAGES.map((s) => {
      const rows = stages.filter((r) => r.stage === s);
      return {
        stage: s,
        accounts: rows.length,
        overdue_usd_minor: sumInReporting(
          rows.map((r) => ({ currency: r.currency, minor: r.overdue_minor })),
        ),
      };
    }).filter((s) => stage === undefined || s.stage === stage);
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      totals: {
        accounts: byStage.reduce((n, s) => n + s.accounts, 0),
        overdue_usd_minor: sumInReporting(
          stages.map((r) => ({ currency: r.currency, minor: r.overdue_minor })),
        ),
      },
      by_stage: byStage,
      candidates: pageRows.map((r) => ({ ...r, last_payment_on: lastPayment.get(r.account_id) ?? null })),
      next_cursor: offset + limit < staged.length ? encodeCursor(offset + limit, filters) : null,
    };
  },
});

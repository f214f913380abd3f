import { defineTool, nextCursorSchema, pageInputShape, queryPage, type SqlValue } from "@toolpacks/pack-kit";
import { z } from "zod";
import { addDays } from "../dates.js";
import { DUNNING_RULE, DUNNING_STAGES, dunningStageSql } from "../dunning.js";
import { OLDEST_DAYS_PAST_DUE_SQL, OPEN_AMOUNT_SQL, OPEN_SQL } from "../invoices-sql.js";
import { toUsd, usdSql } from "../money.js";
import { currencySchema, minDaysOverdueSchema, minor, reportingCurrency } from "../schemas.js";

const candidate = z.object({
  account_id: z.string(),
  currency: currencySchema,
  overdue_minor: minor,
  overdue_invoices: z.number().int(),
  oldest_days_overdue: z.number().int(),
  stage: z.enum(DUNNING_STAGES),
  last_payment_on: z.string().nullable(),
});

// Per account: its overdue invoices (a range of the open-invoice partial index), its stage.
const PER_ACCOUNT = `SELECT account_id, currency, SUM(${OPEN_AMOUNT_SQL}) AS overdue_minor, COUNT(*) AS overdue_invoices,
    ${OLDEST_DAYS_PAST_DUE_SQL} AS oldest_days_overdue
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
    stage: z.enum(DUNNING_STAGES).optional().describe("only accounts due for this stage"),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 25 }),
  }),
  output: z.object({
    as_of: z.string(),
    currency: reportingCurrency,
    totals: z.object({ accounts: z.number().int(), overdue_usd_minor: minor }),
    by_stage: z.array(
      z.object({ stage: z.enum(DUNNING_STAGES), accounts: z.number().int(), overdue_usd_minor: minor }),
    ),
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
    const stageSql = dunningStageSql("oldest_days_overdue");
    let where = `WHERE ${usdSql("overdue_minor")} >= ?`;
    const params: SqlValue[] = [asOf, addDays(asOf, -min_days_overdue), min_overdue_usd_minor];
    if (stage !== undefined) {
      where += ` AND ${stageSql} = ?`;
      params.push(stage);
    }
    const from = `FROM (${PER_ACCOUNT}) ${where}`;
    const stages = await store.all<{
      stage: (typeof DUNNING_STAGES)[number];
      currency: string;
      accounts: number;
      overdue_minor: number;
    }>(
      `SELECT ${stageSql} AS stage, currency, COUNT(*) AS accounts, SUM(overdue_minor) AS overdue_minor ${from} GROUP BY 1, 2`,
      params,
    );
    const page = await queryPage<z.infer<typeof candidate>>(
      store,
      `SELECT account_id, currency, overdue_minor, overdue_invoices, oldest_days_overdue, ${stageSql} AS stage,
         (SELECT MAX(paid_on) FROM billing_payments p WHERE p.account_id = a.account_id) AS last_payment_on
       FROM (${PER_ACCOUNT}) a ${where} ORDER BY ${usdSql("overdue_minor")} DESC, account_id`,
      params,
      { limit, cursor },
      { min_days_overdue, min_overdue_usd_minor, stage },
    );
    const byStage = DUNNING_STAGES.map((s) => {
      const rows = stages.filter((r) => r.stage === s);
      return {
        stage: s,
        accounts: rows.reduce((n, r) => n + r.accounts, 0),
        overdue_usd_minor: rows.reduce((sum, r) => sum + toUsd(r.overdue_minor, r.currency), 0),
      };
    }).filter((s) => stage === undefined || s.stage === stage);
    return {
      as_of: asOf,
      currency: "USD" as const,
      totals: {
        accounts: byStage.reduce((n, s) => n + s.accounts, 0),
        overdue_usd_minor: byStage.reduce((sum, s) => sum + s.overdue_usd_minor, 0),
      },
      by_stage: byStage,
      candidates: page.items,
      next_cursor: page.next_cursor,
    };
  },
});

import {
  addDays,
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { DUNNING_RULE, DUNNING_STAGES, type DunningStage, dunningStage } from "../dunning.js";
import { allOverdueAccounts, overdueAccountsPage, stageTotals } from "../dunning-sql.js";
import { sumInReporting } from "../money.js";
import { currencySchema, minDaysOverdueSchema, minor, reportingCurrency } from "../schemas.js";
import type { Rows } from "../tables.js";

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
    const dueBy = addDays(asOf, -min_days_overdue);
    const inStage = (s: DunningStage) => stage === undefined || s === stage;
    // Totals per stage from the rollups, unless a minimum amount is asked: which accounts owe at
    // least that as of the day is known only from their invoices, so then one pass over them.
    const fromRollups = min_overdue_usd_minor === 0;
    const staged = fromRollups
      ? []
      : (await allOverdueAccounts(store, asOf, dueBy, min_overdue_usd_minor))
          .map((row) => ({ ...row, stage: dunningStage(row.oldest_days_overdue) }))
          .filter((row) => inStage(row.stage));
    const perStage = fromRollups
      ? (await stageTotals(store, asOf, dueBy)).filter((t) => inStage(t.stage))
      : staged.map((r) => ({
          stage: r.stage,
          currency: r.currency,
          accounts: 1,
          overdue_minor: r.overdue_minor,
        }));
    const byStage = DUNNING_STAGES.map((s) => {
      const rows = perStage.filter((r) => r.stage === s);
      return {
        stage: s,
        accounts: rows.reduce((n, r) => n + r.accounts, 0),
        overdue_usd_minor: sumInReporting(
          rows.map((r) => ({ currency: r.currency, minor: r.overdue_minor })),
        ),
      };
    }).filter((s) => inStage(s.stage));
    const accounts = byStage.reduce((n, s) => n + s.accounts, 0);
    const pageRows = fromRollups
      ? (await overdueAccountsPage(store, asOf, dueBy, stage, offset, limit)).map((row) => ({
          ...row,
          stage: dunningStage(row.oldest_days_overdue),
        }))
      : staged.slice(offset, offset + limit);
    const marks = pageRows.map(() => "?").join(", ");
    const payments = pageRows.length
      ? await store.all<Pick<Rows["billing_payments"], "account_id"> & { last: string }>(
          `SELECT account_id, MAX(paid_on) AS last FROM billing_payments WHERE account_id IN (${marks}) GROUP BY account_id`,
          pageRows.map((r) => r.account_id),
        )
      : [];
    const lastPayment = new Map(payments.map((p) => [p.account_id, p.last]));
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      totals: {
        accounts,
        overdue_usd_minor: sumInReporting(
          perStage.map((r) => ({ currency: r.currency, minor: r.overdue_minor })),
        ),
      },
      by_stage: byStage,
      candidates: pageRows.map((r) => ({ ...r, last_payment_on: lastPayment.get(r.account_id) ?? null })),
      next_cursor: offset + limit < accounts ? encodeCursor(offset + limit, filters) : null,
    };
  },
});

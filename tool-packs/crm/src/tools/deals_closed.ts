import {
  defineTool,
  nextCursorSchema,
  pageInputShape,
  periodOutput,
  periodSchema,
  queryPage,
  resolvePeriod,
} from "@toolpacks/pack-kit";
import type { Currency } from "@toolpacks/world";
import { z } from "zod";
import { closingIn } from "../close-month-rollup.js";
import { formatMinor, usdOf } from "../money.js";
import {
  accountIdSchema,
  currencySchema,
  minor,
  netUnitPrice,
  ownerIdSchema,
  reportingCurrency,
  usdMinor,
} from "../schemas.js";
import type { Rows } from "../tables.js";

const line = z.object({ sku: z.string(), quantity: z.number().int(), net_unit_price_minor: netUnitPrice });
const deal = z.object({
  id: z.string(),
  account_id: z.string(),
  owner_id: z.string(),
  amount_minor: minor.describe("in the deal's currency"),
  currency: currencySchema,
  close_date: z.string(),
  lost_reason: z.string().optional(),
  lines: z.array(line),
});

const output = z.object({
  as_of: z.string(),
  period: periodOutput,
  outcome: z.enum(["won", "lost"]),
  totals: z.object({
    deals: z.number().int(),
    amount_usd_minor: usdMinor.describe("the sum of by_currency[].amount_usd_minor"),
    by_currency: z.array(
      z.object({
        currency: currencySchema,
        deals: z.number().int(),
        amount_minor: minor,
        amount_usd_minor: usdMinor.describe("amount_minor converted once"),
      }),
    ),
  }),
  reporting_currency: reportingCurrency,
  deals: z.array(deal),
  next_cursor: nextCursorSchema,
});

/** One line per deal: the same facts as the JSON at about two thirds of the tokens. */
function render(o: z.output<typeof output>): string {
  const t = o.totals;
  const mix = t.by_currency.map((c) => `${c.deals} in ${formatMinor(c.amount_minor, c.currency)}`).join(", ");
  return [
    `as_of ${o.as_of}: ${t.deals} deals closed-${o.outcome} ${o.period.from}..${o.period.to}, total ${formatMinor(t.amount_usd_minor, "USD")} (${mix})`,
    ...o.deals.map(
      (d) =>
        `${d.id} account ${d.account_id} owner ${d.owner_id} closed ${d.close_date} ${formatMinor(d.amount_minor, d.currency)}` +
        `${d.lost_reason ? ` lost: ${d.lost_reason}` : ""}; lines: ${d.lines.map((l) => `${l.sku} x${l.quantity} @ ${formatMinor(l.net_unit_price_minor, d.currency)} net`).join(", ")}`,
    ),
    o.next_cursor ? `next_cursor: ${o.next_cursor}` : "next_cursor: null (no more deals)",
  ].join("\n");
}

// A deal's stored columns, its currency narrowed to the world's.
type DealRow = Pick<
  Rows["crm_deals"],
  "id" | "account_id" | "owner_id" | "amount_minor" | "close_date" | "lost_reason"
> & {
  currency: Rows["crm_deals"]["currency"] & Currency;
};

/** Deals won (or lost) in a period, with their line items: what order-to-cash reads first. */
export const dealsClosed = defineTool({
  name: "deals_closed",
  title: "Deals closed in a period",
  description:
    "Lists deals closed-won (or closed-lost) with a close date in a period (default: the month of the CRM's " +
    "date), oldest first. Returns each with account id, owner id, amount and currency, close date and its line " +
    "items (sku, quantity, net unit price in cents, discount already applied). Totals per currency and in USD. Page with next_cursor to " +
    "walk every deal, e.g. to check each has a sales order in the ERP.",
  input: z.object({
    period: periodSchema.optional(),
    outcome: z.enum(["won", "lost"]).default("won").describe("closed-won (default) or closed-lost deals"),
    owner_id: ownerIdSchema.optional(),
    account_id: accountIdSchema.optional(),
    // A full page must fit the budget untrimmed, or next_cursor would skip the deals cut: 15 deals
    // at their widest (4 lines, 12-digit amounts) measure about 2,550 tokens (see the test).
    ...pageInputShape({ defaultLimit: 5, maxLimit: 15 }),
  }),
  output,
  render,
  scope: "crm:read",
  budgetTokens: 2800,
  examples: [{}, { period: "2026-Q2", limit: 3 }, { period: "2026-06", outcome: "lost" }],
  async handler({ period, outcome, owner_id, account_id, limit, cursor }, { store, asOf }) {
    const resolved = resolvePeriod(period, asOf, "month");
    let where = "FROM crm_deals WHERE stage = ? AND close_date BETWEEN ? AND ?";
    const params: string[] = [outcome === "won" ? "closed_won" : "closed_lost", resolved.from, resolved.to];
    if (owner_id) {
      where += " AND owner_id = ?";
      params.push(owner_id);
    }
    if (account_id) {
      where += " AND account_id = ?";
      params.push(account_id);
    }
    // Totals from the close-month rollup (whole months; ragged days from the deals) unless an
    // account is asked, which the rollup does not know (its deals are an index range anyway).
    const closing = closingIn(resolved, outcome === "won" ? "'closed_won'" : "'closed_lost'");
    const byCurrency = await store.all<{
      currency: Currency;
      deals: number;
      amount_minor: number;
    }>(
      account_id
        ? `SELECT currency, COUNT(*) AS deals, SUM(amount_minor) AS amount_minor ${where} GROUP BY currency ORDER BY currency`
        : `SELECT currency, SUM(deals) AS deals, SUM(amount_minor) AS amount_minor FROM (${closing.sql}) d
           ${owner_id ? "WHERE owner_id = ?" : ""} GROUP BY currency ORDER BY currency`,
      account_id ? params : [...closing.params, ...(owner_id ? [owner_id] : [])],
    );
    const page = await queryPage<DealRow>(
      store,
      `SELECT id, account_id, owner_id, amount_minor, currency, close_date, lost_reason ${where} ORDER BY close_date, id`,
      params,
      { limit, cursor },
      { period: resolved.label, outcome, owner_id, account_id },
    );
    const ids = page.items.map((d) => d.id);
    const lines =
      ids.length === 0
        ? []
        : await store.all<{ deal_id: string; sku: string; quantity: number; net_unit_price_minor: number }>(
            `SELECT deal_id, sku, quantity, unit_price_minor AS net_unit_price_minor FROM crm_deal_lines WHERE deal_id IN (${ids.map(() => "?").join(", ")}) ORDER BY deal_id, line_no`,
            ids,
          );
    return {
      as_of: asOf,
      period: resolved,
      outcome,
      totals: {
        deals: byCurrency.reduce((s, c) => s + c.deals, 0),
        amount_usd_minor: usdOf(byCurrency.map((c) => [c.currency, c.amount_minor])),
        by_currency: byCurrency.map(({ currency, deals, amount_minor }) => ({
          currency,
          deals,
          amount_minor,
          amount_usd_minor: usdOf([[currency, amount_minor]]),
        })),
      },
      reporting_currency: "USD" as const,
      deals: page.items.map(({ lost_reason, ...d }) => ({
        ...d,
        ...(lost_reason ? { lost_reason } : {}),
        lines: lines
          .filter((l) => l.deal_id === d.id)
          .map(({ sku, quantity, net_unit_price_minor }) => ({ sku, quantity, net_unit_price_minor })),
      })),
      next_cursor: page.next_cursor,
    };
  },
});

import { defineTool, nextCursorSchema, pageInputShape, queryPage, type SqlValue } from "@toolpacks/pack-kit";
import type { Currency } from "@toolpacks/world";
import { z } from "zod";
import { UsdTotals } from "../money.js";
import { nameMatch, prefixFirst } from "../name-search.js";
import { OPEN_STAGE_SQL, reportingCurrency, usdMinor } from "../schemas.js";
import type { Rows } from "../tables.js";

type CompanyRow = Pick<Rows["crm_accounts"], "id" | "name" | "segment" | "industry" | "country" | "owner_id">;
// An account's open deals in one currency: how many, and their native amount.
type PipelineRow = Pick<Rows["crm_deals"], "account_id"> & {
  currency: Currency;
  deals: number;
  amount: number;
};

/** Finds accounts by name (or exact id), best matches first. */
export const searchCompanies = defineTool({
  name: "search_companies",
  title: "Search companies",
  description:
    "Finds CRM accounts (companies) whose name contains the query (case-insensitive; names starting with " +
    "it come first), or whose id equals it. Optional filters: country (ISO code), segment, industry. " +
    "Returns the number of matches and the top matches with id, name, segment, industry, country, owner " +
    "id and open pipeline (deals, USD amount); next_cursor for more. No personal data.",
  input: z.object({
    query: z.string().trim().min(1).max(100).describe("part of the company name, or an account id"),
    country: z.string().length(2).toUpperCase().optional().describe("ISO 3166 country code, e.g. DE"),
    segment: z.enum(["smb", "mid_market", "enterprise"]).optional().describe("company size band"),
    industry: z.string().min(1).max(40).optional().describe("e.g. manufacturing, retail, healthcare"),
    ...pageInputShape({ defaultLimit: 5, maxLimit: 20 }),
  }),
  output: z.object({
    as_of: z.string(),
    reporting_currency: reportingCurrency,
    total_matches: z.number().int(),
    companies: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        segment: z.string(),
        industry: z.string(),
        country: z.string(),
        owner_id: z.string(),
        open_deals: z.number().int(),
        open_amount_usd_minor: usdMinor,
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "crm:read",
  budgetTokens: 1600,
  examples: [{ query: "north" }, { query: "logistics", segment: "smb", limit: 3 }],
  async handler({ query, country, segment, industry, limit, cursor }, { store, asOf }) {
    // lower() on both sides: SQLite's LIKE ignores ASCII case, Postgres' does not; both lower()s
    // fold ASCII only, so the two stores match and order the same names.
    const match = nameMatch(store.dialect, query);
    let where = `FROM ${match.from} WHERE ${match.sql}`;
    const params: SqlValue[] = [...match.params];
    for (const [column, value] of [
      ["country", country],
      ["segment", segment],
      ["industry", industry],
    ] as const) {
      if (value !== undefined) {
        where += ` AND ${column} = ?`;
        params.push(value);
      }
    }
    const prefix = prefixFirst(query);
    // The count rides on the page's own read (one pass over the matches instead of two); a page
    // past the last match has no row to carry it, and only then is it counted on its own.
    const page = await queryPage<CompanyRow & { matches: number }>(
      store,
      `SELECT id, name, segment, industry, country, owner_id, COUNT(*) OVER () AS matches ${where}
       ORDER BY ${prefix.sql}, lower(name), id`,
      [...params, ...prefix.params],
      { limit, cursor },
      { query, country, segment, industry },
    );
    const total =
      page.items[0]?.matches ??
      (cursor === undefined
        ? 0
        : ((await store.first<{ n: number }>(`SELECT COUNT(*) AS n ${where}`, params))?.n ?? 0));
    const companies = page.items.map(({ matches: _, ...company }) => company);
    const ids = companies.map((c) => c.id);
    const pipeline =
      ids.length === 0
        ? []
        : await store.all<PipelineRow>(
            `SELECT account_id, currency, COUNT(*) AS deals, SUM(amount_minor) AS amount FROM crm_deals WHERE account_id IN (${ids.map(() => "?").join(", ")}) AND stage IN (${OPEN_STAGE_SQL}) GROUP BY account_id, currency`,
            ids,
          );
    const usd = new UsdTotals<string>();
    const deals = new Map<string, number>();
    for (const p of pipeline) {
      usd.add(p.account_id, p.currency, p.amount);
      deals.set(p.account_id, (deals.get(p.account_id) ?? 0) + p.deals);
    }
    return {
      as_of: asOf,
      reporting_currency: "USD" as const,
      total_matches: total,
      companies: companies.map((c) => ({
        ...c,
        open_deals: deals.get(c.id) ?? 0,
        open_amount_usd_minor: usd.usd(c.id),
      })),
      next_cursor: page.next_cursor,
    };
  },
});

import { addDays, defineTool, sqlFor } from "@toolpacks/pack-kit";
import { z } from "zod";
import { OPEN_AMOUNT_SQL, OPEN_SQL, oldestDaysPastDueSql } from "../invoices-sql.js";
import { ownAccountIds } from "../lookups.js";
import { accountIdSchema, currencySchema, minDaysOverdueSchema, minor } from "../schemas.js";

/** Most ids one call checks: keeps the answer under its budget even when every one is overdue. */
const MAX_IDS = 100;
/** Ids per statement (plus two date parameters), under D1's 100 bound parameters. */
const IDS_PER_QUERY = 90;

interface Overdue {
  account_id: string;
  currency: z.infer<typeof currencySchema>;
  overdue_minor: number;
  overdue_invoices: number;
  oldest_days_overdue: number;
}

/** Which of a list of accounts have overdue balances, in one call. */
export const checkOverdueAccounts = defineTool({
  name: "check_overdue_accounts",
  title: "Check accounts for overdue balances",
  description:
    `Checks up to ${MAX_IDS} account ids (CRM account = ERP customer = billing account), which have overdue ` +
    "balances as of the billing system's date. Returns per overdue account the overdue amount in its currency " +
    "(integer minor units), the number of overdue invoices and the oldest days overdue. Ids not listed in " +
    "`overdue` or `unknown` are clear. On imported data another pack's id of the customer resolves through the identity map " +
    "and is answered under the id sent. Use it before shipping or invoicing more to a batch of customers.",
  input: z.object({
    account_ids: z
      .array(accountIdSchema)
      .min(1)
      .max(MAX_IDS)
      .describe(`account ids to check, 1 to ${MAX_IDS}; duplicates are checked once`),
    min_days_overdue: minDaysOverdueSchema,
  }),
  output: z.object({
    as_of: z.string(),
    checked: z.number().int().describe("distinct known ids checked"),
    overdue: z.array(
      z.object({
        account_id: z.string(),
        currency: currencySchema,
        overdue_minor: minor,
        overdue_invoices: z.number().int(),
        oldest_days_overdue: z.number().int(),
      }),
    ),
    clear: z.number().int().describe("how many known ids have nothing overdue"),
    unknown: z.array(z.string()).describe("ids that are not billing accounts (never an error)"),
  }),
  scope: "billing:read",
  budgetTokens: 4600,
  examples: [{ account_ids: ["C-000001", "C-000002", "C-000003"] }],
  async handler({ account_ids, min_days_overdue }, { store, asOf }) {
    const ids = [...new Set(account_ids)];
    // Asked id -> billing account ids (another pack's id resolves through the identity map).
    const owners = await ownAccountIds(store, ids);
    const knownIds = new Set(ids.filter((id) => owners.has(id)));
    const own = [...new Set([...owners.values()].flat())];
    const found: Overdue[] = [];
    // Chunks keep each statement under D1's 100 bound parameters.
    for (let start = 0; start < own.length; start += IDS_PER_QUERY) {
      const chunk = own.slice(start, start + IDS_PER_QUERY);
      const marks = chunk.map(() => "?").join(", ");
      // The open-invoice partial index by account: a few rows per id.
      found.push(
        ...(await store.all<Overdue>(
          `SELECT account_id, currency, SUM(${OPEN_AMOUNT_SQL}) AS overdue_minor, COUNT(*) AS overdue_invoices,
             ${oldestDaysPastDueSql(sqlFor(store.dialect))} AS oldest_days_overdue
           FROM billing_invoices WHERE account_id IN (${marks}) AND ${OPEN_SQL} AND due_on <= ?
           GROUP BY account_id, currency`,
          [asOf, ...chunk, addDays(asOf, -min_days_overdue)],
        )),
      );
    }
    // Answered under the id asked, so a caller finds its own ids (the same id in the generated world).
    const overdue = ids.flatMap((id) =>
      found.filter((o) => owners.get(id)?.includes(o.account_id)).map((o) => ({ ...o, account_id: id })),
    );
    overdue.sort((a, b) => (a.account_id < b.account_id ? -1 : a.account_id > b.account_id ? 1 : 0));
    const overdueIds = new Set(overdue.map((o) => o.account_id));
    return {
      as_of: asOf,
      checked: knownIds.size,
      overdue,
      clear: [...knownIds].filter((id) => !overdueIds.has(id)).length,
      unknown: ids.filter((id) => !knownIds.has(id)),
    };
  },
});

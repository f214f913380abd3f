import type { Statement } from "@toolpacks/pack-kit";

const UPSERT = "ON CONFLICT (month, currency) DO UPDATE SET";

/**
 * `column` of the existing row plus the one proposed. The existing value is qualified with the
 * table: Postgres refuses a bare column name there as ambiguous (SQLite accepts both).
 */
const add = (column: string) => `${column} = billing_revenue_monthly.${column} + excluded.${column}`;

/**
 * Statements that fill `billing_revenue_monthly` from the invoice, credit note and payment rows
 * (run once after seeding; afterwards the write tools keep it in step).
 */
export function revenueRollup(): Statement[] {
  return [
    {
      sql: `INSERT INTO billing_revenue_monthly (month, currency, invoices, invoiced_minor, subscriptions_minor)
        SELECT substr(issued_on, 1, 7), currency, COUNT(*), SUM(amount_minor),
          SUM(CASE WHEN subscription_id IS NOT NULL THEN amount_minor ELSE 0 END)
        FROM billing_invoices WHERE true GROUP BY 1, 2
        ${UPSERT} ${add("invoices")}, ${add("invoiced_minor")}, ${add("subscriptions_minor")}`,
    },
    {
      sql: `INSERT INTO billing_revenue_monthly (month, currency, credited_minor)
        SELECT substr(issued_on, 1, 7), currency, SUM(amount_minor) FROM billing_credit_notes WHERE true GROUP BY 1, 2
        ${UPSERT} ${add("credited_minor")}`,
    },
    {
      sql: `INSERT INTO billing_revenue_monthly (month, currency, collected_minor)
        SELECT substr(paid_on, 1, 7), currency, SUM(amount_minor) FROM billing_payments WHERE true GROUP BY 1, 2
        ${UPSERT} ${add("collected_minor")}`,
    },
  ];
}

/** The rollup column a write adds to. */
export type RevenueColumn = "invoiced_minor" | "credited_minor" | "collected_minor";

/**
 * The statement a write adds to its batch so the monthly rollup stays equal to the rows:
 * `amount` into `column` for the month of `on` (and one more invoice when it is an invoice).
 */
export function revenueDelta(column: RevenueColumn, on: string, currency: string, amount: number): Statement {
  const invoices = column === "invoiced_minor" ? 1 : 0;
  return {
    sql: `INSERT INTO billing_revenue_monthly (month, currency, invoices, ${column}) VALUES (?, ?, ?, ?)
      ${UPSERT} ${add("invoices")}, ${add(column)}`,
    params: [on.slice(0, 7), currency, invoices, amount],
  };
}

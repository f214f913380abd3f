import { type ReadStore, ToolError } from "@toolpacks/pack-kit";

/** A billing account's stored columns. */
export interface AccountRow {
  id: string;
  country: string;
  currency: string;
  payment_terms_days: number;
}

/** An invoice's stored columns. */
export interface InvoiceRow {
  id: string;
  account_id: string;
  subscription_id: string | null;
  sales_order_id: string | null;
  issued_on: string;
  due_on: string;
  amount_minor: number;
  amount_paid_minor: number;
  amount_credited_minor: number;
  currency: string;
  settled_on: string | null;
}

/** SQL column list of `InvoiceRow`. */
export const INVOICE_COLUMNS =
  "id, account_id, subscription_id, sales_order_id, issued_on, due_on, amount_minor, amount_paid_minor, amount_credited_minor, currency, settled_on";

/** Loads a billing account or throws ToolError `not_found` with a way to find the right id. */
export async function requireAccount(store: ReadStore, accountId: string): Promise<AccountRow> {
  const account = await store.first<AccountRow>(
    "SELECT id, country, currency, payment_terms_days FROM billing_accounts WHERE id = ?",
    [accountId],
  );
  if (!account) {
    throw new ToolError("not_found", `No billing account has id "${accountId}".`, {
      fix: "use the CRM account / ERP customer id (ids look like C-000042); dunning_candidates and ar_aging list accounts with balances.",
    });
  }
  return account;
}

/** Loads an invoice or throws ToolError `not_found`. */
export async function requireInvoice(store: ReadStore, invoiceId: string): Promise<InvoiceRow> {
  const invoice = await store.first<InvoiceRow>(
    `SELECT ${INVOICE_COLUMNS} FROM billing_invoices WHERE id = ?`,
    [invoiceId],
  );
  if (!invoice) {
    throw new ToolError("not_found", `No invoice has id "${invoiceId}".`, {
      fix: "take an invoice id from overdue_invoices or customer_balance, or look an order's invoice up with get_invoice { order_id }.",
    });
  }
  return invoice;
}

/** Throws ToolError `currency_mismatch` unless `given` is `expected`. */
export function requireCurrency(what: string, expected: string, given: string): void {
  if (expected !== given) {
    throw new ToolError(
      "currency_mismatch",
      `${what} is in ${expected}, but the call says ${given}; nothing was written.`,
      {
        fix: `send currency "${expected}" with amounts in ${expected} minor units (convert first if the amount was in ${given}).`,
      },
    );
  }
}

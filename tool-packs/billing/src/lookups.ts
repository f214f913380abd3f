import { type ReadStore, resolveIdentities, ToolError } from "@toolpacks/pack-kit";
import type { Rows } from "./tables.js";

/** A billing account's stored columns. */
export type AccountRow = Pick<Rows["billing_accounts"], "id" | "country" | "currency" | "payment_terms_days">;

/** An invoice's stored columns. */
export type InvoiceRow = Pick<
  Rows["billing_invoices"],
  | "id"
  | "account_id"
  | "subscription_id"
  | "sales_order_id"
  | "issued_on"
  | "due_on"
  | "amount_minor"
  | "amount_paid_minor"
  | "amount_credited_minor"
  | "currency"
  | "settled_on"
>;

/** SQL column list of `InvoiceRow`. */
export const INVOICE_COLUMNS =
  "id, account_id, subscription_id, sales_order_id, issued_on, due_on, amount_minor, amount_paid_minor, amount_credited_minor, currency, settled_on";

/** Loads a billing account or throws ToolError `not_found` with a way to find the right id. */
export async function requireAccount(store: ReadStore, accountId: string): Promise<AccountRow> {
  const account = await store.first<AccountRow>(
    "SELECT id, country, currency, payment_terms_days FROM billing_accounts WHERE id = ?",
    [await ownAccountId(store, accountId)],
  );
  if (!account) {
    throw new ToolError("not_found", `No billing account has id "${accountId}".`, {
      fix: "use the CRM account / ERP customer id (ids look like C-000042); dunning_candidates and ar_aging list accounts with balances.",
    });
  }
  return account;
}

/**
 * The billing account id for an account id another pack gave: itself when billing has it, else
 * the one billing account the identity map ties it to (imported stores: the Odoo partner
 * `Northwind, Inc.` is the Stripe customer `cus_…`), else the id unchanged (reported unknown).
 * Throws ToolError `ambiguous_account` when the map ties it to several.
 */
export async function ownAccountId(store: ReadStore, accountId: string): Promise<string> {
  const own = (await ownAccountIds(store, [accountId])).get(accountId) ?? [accountId];
  if (own.length > 1) {
    throw new ToolError(
      "ambiguous_account",
      `Account ${accountId} is tied to ${own.length} billing accounts (${own.join(", ")}) by the identity map; nothing was written.`,
      {
        fix: `send one of ${own.join(", ")}, or tie the records with explicit pairs and rebuild the identity map.`,
      },
    );
  }
  return own[0] ?? accountId;
}

/**
 * For each id, the billing account ids it names: itself when billing has it, else those the
 * identity map ties it to; ids neither knows are absent.
 */
export async function ownAccountIds(
  store: ReadStore,
  ids: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 90) {
    const chunk = unique.slice(i, i + 90);
    const rows = await store.all<{ id: string }>(
      `SELECT id FROM billing_accounts WHERE id IN (${chunk.map(() => "?").join(", ")})`,
      chunk,
    );
    for (const r of rows) out.set(r.id, [r.id]);
  }
  const foreign = unique.filter((id) => !out.has(id));
  if (foreign.length > 0) {
    for (const [id, own] of await resolveIdentities(store, "customer", "billing", foreign)) out.set(id, own);
  }
  return out;
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

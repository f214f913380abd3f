import type { AnyToolDefinition } from "@toolpacks/pack-kit";
import { arAging } from "./ar_aging.js";
import { checkOverdueAccounts } from "./check_overdue_accounts.js";
import { customerBalance } from "./customer_balance.js";
import { dunningCandidates } from "./dunning_candidates.js";
import { getInvoice } from "./get_invoice.js";
import { invoiceOrder } from "./invoice_order.js";
import { issueCreditNote } from "./issue_credit_note.js";
import { listSubscriptions } from "./list_subscriptions.js";
import { mrrSummary } from "./mrr_summary.js";
import { overdueInvoices } from "./overdue_invoices.js";
import { recordPayment } from "./record_payment.js";
import { revenueByPeriod } from "./revenue_by_period.js";

/** The billing pack's read tools, in the order clients list them. */
export const readTools: readonly AnyToolDefinition[] = [
  mrrSummary,
  listSubscriptions,
  arAging,
  overdueInvoices,
  customerBalance,
  revenueByPeriod,
  dunningCandidates,
  checkOverdueAccounts,
  getInvoice,
];

/** The billing pack's write tools (scope `billing:write`). */
export const writeTools: readonly AnyToolDefinition[] = [invoiceOrder, recordPayment, issueCreditNote];

export {
  arAging,
  checkOverdueAccounts,
  customerBalance,
  dunningCandidates,
  getInvoice,
  invoiceOrder,
  issueCreditNote,
  listSubscriptions,
  mrrSummary,
  overdueInvoices,
  recordPayment,
  revenueByPeriod,
};

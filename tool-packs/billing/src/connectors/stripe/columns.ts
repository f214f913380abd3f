import {
  type ColumnAliases,
  type CsvTable,
  type ExportKind,
  type ResolvedColumns,
  recogniseExport,
  type SourceFile,
} from "@toolpacks/pack-kit";

/**
 * The columns of Stripe's dashboard exports (Customers, Invoices, Subscriptions, Payments >
 * Export), by the field each fills: Stripe's header first, then the names older exports and
 * re-saved spreadsheets use. Matching ignores case, spaces and punctuation.
 */
export const CUSTOMER_COLUMNS = {
  id: ["id", "Customer ID"],
  name: ["Name", "Customer Name"],
  description: ["Description"],
  email: ["Email", "Customer Email"],
  country: ["Address Country", "Country", "Card Issue Country"],
  currency: ["Currency"],
  taxId: ["Business Vat ID", "Tax ID", "Tax IDs", "VAT ID"],
  delinquent: ["Delinquent"],
  created: ["Created (UTC)", "Created"],
} as const satisfies ColumnAliases<string>;

export const INVOICE_COLUMNS = {
  id: ["id", "Invoice ID"],
  customer: ["Customer", "Customer ID"],
  subscription: ["Subscription", "Subscription ID"],
  status: ["Status"],
  currency: ["Currency"],
  total: ["Total", "Amount Due"],
  paid: ["Amount Paid"],
  date: ["Date (UTC)", "Created (UTC)", "Date", "Created"],
  due: ["Due Date (UTC)", "Due Date", "Due"],
  paidAt: ["Paid At (UTC)", "Paid At"],
} as const satisfies ColumnAliases<string>;

export const SUBSCRIPTION_COLUMNS = {
  id: ["id", "Subscription ID"],
  customer: ["Customer ID", "Customer"],
  plan: ["Plan", "Price", "Plan ID", "Price ID"],
  product: ["Product", "Product Name", "Plan Name", "Price Name"],
  quantity: ["Quantity"],
  currency: ["Currency"],
  interval: ["Interval", "Plan Interval", "Price Interval"],
  intervalCount: ["Interval Count", "Plan Interval Count"],
  amount: ["Amount", "Plan Amount", "Price Amount", "Unit Amount"],
  status: ["Status"],
  start: ["Start (UTC)", "Start Date (UTC)", "Start", "Created (UTC)", "Created"],
  endedAt: ["Ended At (UTC)", "Ended At"],
  canceledAt: ["Canceled At (UTC)", "Canceled At", "Cancelled At (UTC)"],
} as const satisfies ColumnAliases<string>;

export const PAYMENT_COLUMNS = {
  id: ["id", "Payment ID", "Charge ID"],
  created: ["Created (UTC)", "Created", "Created date (UTC)"],
  amount: ["Amount"],
  refunded: ["Amount Refunded", "Refunded Amount"],
  currency: ["Currency"],
  status: ["Status"],
  customer: ["Customer ID", "Customer"],
  invoice: ["Invoice ID", "Invoice"],
  method: ["Payment Method Type", "Payment Method", "Source Type"],
  card: ["Card ID", "Card Brand"],
} as const satisfies ColumnAliases<string>;

/** The four export kinds, with the columns that must be present to recognise each. */
const KINDS: readonly ExportKind<StripeExport["kind"]>[] = [
  {
    kind: "invoices",
    columns: INVOICE_COLUMNS,
    required: ["id", "customer", "status", "total", "paid", "date"],
  },
  {
    kind: "subscriptions",
    columns: SUBSCRIPTION_COLUMNS,
    required: ["id", "customer", "plan", "amount", "interval", "status", "start"],
  },
  {
    kind: "payments",
    columns: PAYMENT_COLUMNS,
    required: ["id", "created", "amount", "currency", "status", "customer", "invoice"],
  },
  { kind: "customers", columns: CUSTOMER_COLUMNS, required: ["id", "email", "created"] },
];

/** One Stripe export file, recognised. */
export type StripeExport =
  | { kind: "invoices"; table: CsvTable; at: ResolvedColumns<keyof typeof INVOICE_COLUMNS> }
  | { kind: "subscriptions"; table: CsvTable; at: ResolvedColumns<keyof typeof SUBSCRIPTION_COLUMNS> }
  | { kind: "payments"; table: CsvTable; at: ResolvedColumns<keyof typeof PAYMENT_COLUMNS> }
  | { kind: "customers"; table: CsvTable; at: ResolvedColumns<keyof typeof CUSTOMER_COLUMNS> };

/**
 * Reads a file and tells which Stripe export it is by its columns (the first kind whose columns
 * are all there). Throws `ImportError` `unknown_export` naming the columns each kind needs.
 */
export function recogniseStripeExport(file: SourceFile): StripeExport {
  return recogniseExport(file, "Stripe", KINDS, "Export with all columns from the Dashboard") as StripeExport;
}

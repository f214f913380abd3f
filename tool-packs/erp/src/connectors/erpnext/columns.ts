import {
  type ColumnAliases,
  type CsvTable,
  type ExportKind,
  type ResolvedColumns,
  recogniseExport,
  type SourceFile,
} from "@toolpacks/pack-kit";

/**
 * ERPNext Data Export columns by field: Frappe writes field labels, and a child table's fields as
 * `Label (Table)`; the exporter falls back to field names when two labels clash.
 */
export const CUSTOMER_COLUMNS = {
  id: ["ID", "name"],
  name: ["Customer Name", "customer_name"],
  taxId: ["Tax ID", "tax_id"],
  currency: ["Billing Currency", "Default Currency", "default_currency"],
  email: ["Email Id", "Email ID", "email_id"],
  country: ["Country", "Territory", "territory"],
  terms: ["Default Payment Terms Template", "payment_terms"],
  creditLimit: ["Credit Limit (Credit Limit)", "Credit Limit", "credit_limits.credit_limit"],
} as const satisfies ColumnAliases<string>;

export const SUPPLIER_COLUMNS = {
  id: ["ID", "name"],
  name: ["Supplier Name", "supplier_name"],
  taxId: ["Tax ID", "tax_id"],
  currency: ["Billing Currency", "Default Currency", "default_currency"],
  email: ["Email Id", "Email ID", "email_id"],
  country: ["Country", "country"],
} as const satisfies ColumnAliases<string>;

export const ITEM_COLUMNS = {
  sku: ["ID", "Item Code", "item_code", "name"],
  name: ["Item Name", "item_name"],
  group: ["Item Group", "item_group"],
  disabled: ["Disabled", "disabled"],
  cost: ["Valuation Rate", "valuation_rate"],
  price: ["Standard Selling Rate", "standard_rate"],
  leadTime: ["Lead Time in days", "lead_time_days"],
  supplier: [
    "Default Supplier (Item Defaults)",
    "Default Supplier",
    "item_defaults.default_supplier",
    "Supplier (Supplier Items)",
  ],
  currency: ["Currency"],
} as const satisfies ColumnAliases<string>;

export const SALES_ORDER_COLUMNS = {
  id: ["ID", "name"],
  customer: ["Customer", "customer"],
  date: ["Date", "transaction_date"],
  delivery: ["Delivery Date", "delivery_date"],
  currency: ["Currency", "currency"],
  status: ["Status", "status"],
  warehouse: ["Set Source Warehouse", "set_warehouse"],
  deal: ["Source Document", "Opportunity", "CRM Deal", "Deal ID"],
  lineId: ["ID (Items)", "items.name"],
  product: ["Item Code (Items)", "items.item_code"],
  quantity: ["Quantity (Items)", "items.qty"],
  unitPrice: ["Rate (Items)", "items.rate"],
  lineWarehouse: ["Warehouse (Items)", "items.warehouse"],
} as const satisfies ColumnAliases<string>;

export const PURCHASE_ORDER_COLUMNS = {
  id: ["ID", "name"],
  supplier: ["Supplier", "supplier"],
  date: ["Date", "transaction_date"],
  expected: ["Required By", "schedule_date"],
  currency: ["Currency", "currency"],
  status: ["Status", "status"],
  warehouse: ["Set Target Warehouse", "set_warehouse"],
  lineId: ["ID (Items)", "items.name"],
  product: ["Item Code (Items)", "items.item_code"],
  quantity: ["Quantity (Items)", "items.qty"],
  unitPrice: ["Rate (Items)", "items.rate"],
  lineWarehouse: ["Warehouse (Items)", "items.warehouse"],
} as const satisfies ColumnAliases<string>;

/** One ERPNext export, recognised. */
export type ErpnextExport =
  | { kind: "sales"; table: CsvTable; at: ResolvedColumns<keyof typeof SALES_ORDER_COLUMNS> }
  | { kind: "purchases"; table: CsvTable; at: ResolvedColumns<keyof typeof PURCHASE_ORDER_COLUMNS> }
  | { kind: "items"; table: CsvTable; at: ResolvedColumns<keyof typeof ITEM_COLUMNS> }
  | { kind: "customers"; table: CsvTable; at: ResolvedColumns<keyof typeof CUSTOMER_COLUMNS> }
  | { kind: "suppliers"; table: CsvTable; at: ResolvedColumns<keyof typeof SUPPLIER_COLUMNS> };

/**
 * Tells which ERPNext doctype a Data Export file holds by its columns: Sales Order (Customer and
 * Item Code (Items)), Purchase Order (Supplier and Item Code (Items)), Item (Item Group or
 * Valuation Rate), Customer (Customer Name), Supplier (Supplier Name). Throws `ImportError`
 * `unknown_export` otherwise.
 */
export function recogniseErpnextExport(file: SourceFile): ErpnextExport {
  return recogniseExport(file, "ERPNext Data", ERPNEXT_KINDS) as ErpnextExport;
}

const ERPNEXT_KINDS: readonly ExportKind<ErpnextExport["kind"]>[] = [
  { kind: "sales", columns: SALES_ORDER_COLUMNS, required: ["id", "customer", "product"] },
  { kind: "purchases", columns: PURCHASE_ORDER_COLUMNS, required: ["id", "supplier", "product"] },
  { kind: "items", columns: ITEM_COLUMNS, required: ["sku", "name"], anyOf: ["group", "cost"] },
  { kind: "customers", columns: CUSTOMER_COLUMNS, required: ["id", "name"] },
  { kind: "suppliers", columns: SUPPLIER_COLUMNS, required: ["id", "name"] },
];

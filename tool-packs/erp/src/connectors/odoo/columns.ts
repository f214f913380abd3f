import {
  type ColumnAliases,
  type CsvTable,
  ImportError,
  type ResolvedColumns,
  readCsv,
  resolveColumns,
  type SourceFile,
} from "@toolpacks/pack-kit";

/**
 * Odoo export columns by field: the field label Odoo writes in a plain export first, then the
 * technical name an "import-compatible" export writes. One-to-many lines are `Order Lines/…`.
 */
export const PARTNER_COLUMNS = {
  name: ["Name", "Display Name", "name"],
  email: ["Email", "email"],
  taxId: ["Tax ID", "VAT", "vat"],
  country: ["Country", "country_id"],
  customerTerms: ["Customer Payment Terms", "property_payment_term_id"],
  vendorTerms: ["Vendor Payment Terms", "property_supplier_payment_term_id"],
  creditLimit: ["Credit Limit", "credit_limit"],
  pricelist: ["Pricelist", "property_product_pricelist"],
  currency: ["Currency", "Supplier Currency", "property_purchase_currency_id"],
} as const satisfies ColumnAliases<string>;

export const PRODUCT_COLUMNS = {
  sku: ["Internal Reference", "default_code"],
  name: ["Name", "name"],
  category: ["Product Category", "categ_id"],
  price: ["Sales Price", "list_price"],
  cost: ["Cost", "standard_price"],
  currency: ["Currency", "currency_id"],
  vendor: ["Vendors/Vendor", "seller_ids/partner_id", "Vendor"],
  leadTime: ["Vendors/Delivery Lead Time", "seller_ids/delay", "Delivery Lead Time"],
} as const satisfies ColumnAliases<string>;

export const SALE_COLUMNS = {
  id: ["Order Reference", "name"],
  customer: ["Customer", "partner_id"],
  date: ["Order Date", "date_order"],
  commitment: ["Delivery Date", "commitment_date", "Expected Date", "expected_date"],
  status: ["Status", "state"],
  delivery: ["Delivery Status", "delivery_status"],
  warehouse: ["Warehouse", "warehouse_id"],
  currency: ["Currency", "currency_id"],
  pricelist: ["Pricelist", "pricelist_id"],
  deal: ["Source Document", "origin", "Opportunity", "opportunity_id"],
  product: ["Order Lines/Product", "order_line/product_id", "Order Lines/Product Template"],
  quantity: ["Order Lines/Quantity", "order_line/product_uom_qty"],
  unitPrice: ["Order Lines/Unit Price", "order_line/price_unit"],
} as const satisfies ColumnAliases<string>;

export const PURCHASE_COLUMNS = {
  id: ["Order Reference", "Reference", "name"],
  vendor: ["Vendor", "partner_id"],
  date: ["Order Deadline", "Order Date", "date_order"],
  expected: ["Expected Arrival", "Receipt Date", "date_planned"],
  status: ["Status", "state"],
  receipt: ["Receipt Status", "receipt_status"],
  deliverTo: ["Deliver To", "picking_type_id"],
  currency: ["Currency", "currency_id"],
  product: ["Order Lines/Product", "order_line/product_id"],
  quantity: ["Order Lines/Quantity", "order_line/product_qty"],
  unitPrice: ["Order Lines/Unit Price", "order_line/price_unit"],
} as const satisfies ColumnAliases<string>;

/** One Odoo export, recognised. */
export type OdooExport =
  | { kind: "sales"; table: CsvTable; at: ResolvedColumns<keyof typeof SALE_COLUMNS> }
  | { kind: "purchases"; table: CsvTable; at: ResolvedColumns<keyof typeof PURCHASE_COLUMNS> }
  | { kind: "products"; table: CsvTable; at: ResolvedColumns<keyof typeof PRODUCT_COLUMNS> }
  | { kind: "customers" | "vendors"; table: CsvTable; at: ResolvedColumns<keyof typeof PARTNER_COLUMNS> };

/**
 * Tells which Odoo export a file is by its columns: sales orders (Customer and Order Lines),
 * purchase orders (Vendor and Order Lines), products (Internal Reference and Cost or Sales Price),
 * contacts (Name with Email or Tax ID): customers when they carry Customer Payment Terms, Credit
 * Limit or Pricelist, vendors when Vendor Payment Terms, else by the file name (vendor / supplier
 * / customer). Throws `ImportError` `unknown_export` or `ambiguous_export`.
 */
export function recogniseOdooExport(file: SourceFile): OdooExport {
  const table = readCsv(file.name, file.text);
  const sale = resolveColumns(table.headers, SALE_COLUMNS);
  if (sale.id && sale.customer && sale.product) return { kind: "sales", table, at: sale };
  const purchase = resolveColumns(table.headers, PURCHASE_COLUMNS);
  if (purchase.id && purchase.vendor && purchase.product) return { kind: "purchases", table, at: purchase };
  const product = resolveColumns(table.headers, PRODUCT_COLUMNS);
  if (product.sku && product.name && (product.cost || product.price))
    return { kind: "products", table, at: product };
  const partner = resolveColumns(table.headers, PARTNER_COLUMNS);
  if (partner.name && (partner.email || partner.taxId)) {
    const customerish = Boolean(partner.customerTerms || partner.creditLimit || partner.pricelist);
    const vendorish = Boolean(partner.vendorTerms);
    const base = (file.name.split(/[\\/]/).at(-1) ?? file.name).toLowerCase();
    if (customerish && !vendorish) return { kind: "customers", table, at: partner };
    if (vendorish && !customerish) return { kind: "vendors", table, at: partner };
    if (/vendor|supplier/.test(base)) return { kind: "vendors", table, at: partner };
    if (/customer|client/.test(base)) return { kind: "customers", table, at: partner };
    throw new ImportError(
      "ambiguous_export",
      `${file.name} is an Odoo contacts export, but of customers or of vendors? Add the "Customer Payment Terms" (customers) or "Vendor Payment Terms" (vendors) column to the export, or put "customers" or "vendors" in the file name.`,
      { file: file.name, line: 1 },
    );
  }
  throw new ImportError(
    "unknown_export",
    `${file.name} is not an Odoo export this connector reads: sales orders (Order Reference, Customer, Order Lines/Product …), purchase orders (Order Reference, Vendor, Order Lines/Product …), products (Internal Reference, Name, Cost …) or contacts (Name, Email, Tax ID …). Found: ${table.headers.slice(0, 20).join(", ")}.`,
    { file: file.name, line: 1 },
  );
}

// Identifiers the billing system mints, derived so that the same fact always gets the same id.

/**
 * The invoice id the world gives a shipped order's invoice (`SO-0000042` -> `INV-O0000042`);
 * invoice_order uses the same rule, so an order has one possible invoice id everywhere. An order
 * id of an imported ERP keeps its whole id after `INV-O-` (`S00042` -> `INV-O-S00042`), which no
 * world id has (a world id has a digit after `INV-O`).
 */
export function orderInvoiceId(orderId: string): string {
  return /^SO-\d/.test(orderId) ? `INV-O${orderId.slice(3)}` : `INV-O-${orderId}`;
}

/** The next free child id of an invoice (`PAY-O0000042-2`), numbered after the existing ones. */
export function childId(prefix: "PAY" | "CN", invoiceId: string, existing: number): string {
  return `${prefix}-${invoiceId.slice(4)}-${existing + 1}`;
}

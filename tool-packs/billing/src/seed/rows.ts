import type { BillingInvoice } from "@toolpacks/world";

/** An invoice row as stored: the world's invoice without its derived status. */
export type StoredInvoice = Omit<BillingInvoice, "status">;

/**
 * The stored row of a world invoice. Status is not stored: it depends on the day you ask, so tools
 * derive it from amounts and `due_on`; `settled_on` (when payments plus credit notes first covered
 * the amount) comes from the world, which payment-behaviour answers measure against `due_on`.
 */
export function storedInvoice(invoice: BillingInvoice): StoredInvoice {
  const { status: _status, ...row } = invoice;
  return row;
}

import { defineVocabulary } from "@toolpacks/pack-kit";

/**
 * Where a sales order is, for the ERP pack: `draft` (a quotation), `confirmed` (to ship),
 * `shipped` (delivered), or `cancelled` (not imported: the pack keeps no cancelled orders).
 * Odoo's status says quotation or order; whether it shipped is its Delivery Status (see
 * `odooDelivered`). ERPNext's status says both.
 */
export const salesOrderStatus = defineVocabulary({
  name: "sales order status",
  values: ["draft", "confirmed", "shipped", "cancelled"] as const,
  systems: {
    odoo: {
      draft: "draft",
      sent: "draft",
      sale: "confirmed",
      done: "confirmed",
      cancel: "cancelled",
      Quotation: "draft",
      "Quotation Sent": "draft",
      "Sales Order": "confirmed",
      Locked: "confirmed",
      Done: "confirmed",
      Cancelled: "cancelled",
    },
    erpnext: {
      Draft: "draft",
      "On Hold": "confirmed",
      "To Deliver and Bill": "confirmed",
      "To Deliver": "confirmed",
      "To Bill": "shipped",
      Completed: "shipped",
      Closed: "shipped",
      Cancelled: "cancelled",
    },
  },
});

/**
 * Where a purchase order is: `rfq` (a request for quotation, not an order yet: not imported),
 * `open` (ordered, not fully received), `received`, `cancelled`.
 */
export const purchaseOrderStatus = defineVocabulary({
  name: "purchase order status",
  values: ["rfq", "open", "received", "cancelled"] as const,
  systems: {
    odoo: {
      draft: "rfq",
      sent: "rfq",
      "to approve": "rfq",
      purchase: "open",
      done: "open",
      cancel: "cancelled",
      RFQ: "rfq",
      "RFQ Sent": "rfq",
      "To Approve": "rfq",
      "Purchase Order": "open",
      Locked: "open",
      Cancelled: "cancelled",
    },
    erpnext: {
      Draft: "rfq",
      "On Hold": "open",
      "To Receive and Bill": "open",
      "To Receive": "open",
      "To Bill": "received",
      Completed: "received",
      Delivered: "received",
      Closed: "received",
      Cancelled: "cancelled",
    },
  },
});

/** True when Odoo's Delivery Status (or Receipt Status) says everything arrived. */
export function fullyDone(text: string): boolean {
  return /^(fully (delivered|received)|full|delivered|received)$/i.test(text.trim());
}

import type { PolicyInput } from "@toolpacks/runtime";

/** The writes order to cash needs, and nothing else. */
export const ORDER_DESK_WRITES = [
  "erp.create_sales_order",
  "erp.confirm_sales_order",
  "erp.record_shipment",
  "erp.create_purchase_order",
  "warehouse.reserve_stock",
  "warehouse.create_shipment",
  "billing.invoice_order",
];

/**
 * The demo's policy: reads are allowed, writes are denied unless a rule allows them; the
 * `order-desk` role may make exactly the writes of order to cash (CRM stays read-only for it), at
 * most 400 writes per run.
 */
export const DEMO_POLICY: PolicyInput = {
  version: 1,
  defaults: { read: "allow", write: "deny" },
  roles: {
    "order-desk": {
      rules: [
        { tools: "crm.*", kind: "write", effect: "deny", reason: "the order desk does not change CRM deals" },
        { tools: ORDER_DESK_WRITES, kind: "write", effect: "allow" },
      ],
      budgets: { maxWrites: 400 },
    },
  },
};

/** The role and principal the demo runs as. */
export const DEMO_ROLE = "order-desk";
export const DEMO_PRINCIPAL = "demo@toolpacks.dev";

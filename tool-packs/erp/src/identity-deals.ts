import type { Statement } from "@toolpacks/pack-kit";

/**
 * What the ERP derives from the customer identity map: its copy of the CRM's deals (open and
 * won; a lost deal takes no order), each under the ERP customer the map ties its account to, so
 * `create_sales_order` can check a CRM deal on imported data as it does in the generated world.
 * `ref` keeps the deal's id in its CRM (HubSpot's Record ID), which is how an imported order's
 * Source Document names the deal. Only when the map covers the CRM (its tables are in the store);
 * recomputed whole each time (copies have `ref` set; rows from the ERP's own import have a source).
 * A CRM account tied to several ERP customers takes the first by id.
 */
export function erpAfterIdentity(entity: string, systems: readonly string[]): Statement[] {
  if (entity !== "customer" || !systems.includes("crm") || !systems.includes("erp")) return [];
  return [
    { sql: "DELETE FROM erp_deals WHERE ref IS NOT NULL AND source_id IS NULL" },
    {
      sql: `INSERT INTO erp_deals (id, account_id, currency, ref)
        SELECT d.id, MIN(e.record_id), d.currency, d.source_id FROM crm_deals d
          JOIN _identity c ON c.entity = 'customer' AND c.system = 'crm' AND c.record_id = d.account_id
          JOIN _identity e ON e.entity = 'customer' AND e.system = 'erp' AND e.canonical_id = c.canonical_id
        WHERE d.stage <> 'closed_lost' AND d.source_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM erp_deals x WHERE x.id = d.id)
        GROUP BY d.id, d.currency, d.source_id`,
    },
  ];
}

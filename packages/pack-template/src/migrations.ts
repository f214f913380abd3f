import type { Migration } from "@toolpacks/pack-kit";

/**
 * The pack's schema. Tables are prefixed with the pack name so every pack can share one store.
 * Each index serves a named tool query: keep it that way when you add tools.
 */
export const migrations: Migration[] = [
  {
    id: "0001_starter_schema",
    statements: [
      `CREATE TABLE starter_records (
        id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, status TEXT NOT NULL,
        amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, opened_on TEXT NOT NULL, note TEXT)`,
      // starter_summary groups by status; starter_customer_facts filters by customer.
      "CREATE INDEX starter_records_status ON starter_records (status, customer_id, amount_minor)",
      "CREATE INDEX starter_records_customer ON starter_records (customer_id, status)",
    ],
  },
];

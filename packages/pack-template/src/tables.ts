import { defineTables, integer, type RowsOf, text } from "@toolpacks/pack-kit";

/**
 * The pack's tables as its migrations build them, declared once. Queries type their rows as
 * `Pick<Rows["table"], ...>` (plus the aggregates they compute), and the conformance kit fails
 * when this and the migrated store disagree: add a column here in the same change as its migration.
 */
export const tables = defineTables({
  starter_records: {
    id: text(),
    customer_id: text(),
    status: text(),
    amount_minor: integer(),
    currency: text(),
    opened_on: text(),
    note: text().nullable(),
  },
});

/** The row type of each table, e.g. `Rows["starter_records"]`. */
export type Rows = RowsOf<typeof tables>;

import type { Migration } from "@toolpacks/pack-kit";
import { OLDEST_OPEN_TRIGGERS } from "./oldest-due-rollup.js";
import { OPEN_ONLY } from "./open-sql.js";
import { OPEN_CELLS_TRIGGERS } from "./overdue-cells.js";

const EVENTS = ["insert", "delete", "update"] as const;
const FAMILIES = ["billing_open_oldest", "billing_open_cells"] as const;

/**
 * The triggers that keep `billing_open_oldest` and `billing_open_cells` again, now firing only
 * when the invoice is or was open (`OPEN_ONLY`): the same bodies, so the kept rows are the same,
 * without the per-row work for settled invoices, which doubled the time to seed a store.
 */
export function openOnlyTriggersMigration(id: string): Migration {
  const drops = (postgres: boolean) =>
    FAMILIES.flatMap((family) =>
      EVENTS.map((event) => `DROP TRIGGER ${family}_${event}${postgres ? " ON billing_invoices" : ""}`),
    );
  return {
    id,
    statements: [
      ...drops(false),
      ...OLDEST_OPEN_TRIGGERS.sqlite(OPEN_ONLY),
      ...OPEN_CELLS_TRIGGERS.sqlite(OPEN_ONLY),
    ],
    postgres: [
      ...drops(true),
      ...OLDEST_OPEN_TRIGGERS.postgresStatements(OPEN_ONLY),
      ...OPEN_CELLS_TRIGGERS.postgresStatements(OPEN_ONLY),
    ],
  };
}

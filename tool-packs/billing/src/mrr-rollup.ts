import { addDays, type Migration, rollupMigration, type SqlValue } from "@toolpacks/pack-kit";

/**
 * The MRR movement rollup: per currency, movement kind and month, how many movements and their
 * net change of MRR. mrr_summary reads MRR and active subscriptions on a day (the sum of every
 * movement up to it) from its whole months plus the movements of that day's own month, instead
 * of adding up the whole history of movements. Database triggers keep it current in the same
 * transaction as every write of `billing_mrr_events`, whoever writes (subscription writes,
 * seeding, imports, sync, removals). A group whose last movement leaves is deleted.
 */
export const MRR_ROLLUP_TABLE = "billing_mrr_months";

/** The migration that creates, fills and starts maintaining the rollup, on both dialects. */
export function mrrRollupMigration(id: string): Migration {
  return rollupMigration({
    id,
    table: MRR_ROLLUP_TABLE,
    source: "billing_mrr_events",
    triggers: "billing_mrr_months",
    create: `CREATE TABLE billing_mrr_months (
  currency TEXT NOT NULL, kind TEXT NOT NULL, month TEXT NOT NULL, events INTEGER NOT NULL, delta_minor INTEGER NOT NULL,
  PRIMARY KEY (currency, kind, month)) WITHOUT ROWID`,
    fill: `INSERT INTO billing_mrr_months (currency, kind, month, events, delta_minor)
  SELECT currency, kind, substr(effective_on, 1, 7), COUNT(*), SUM(delta_minor) FROM billing_mrr_events
  GROUP BY currency, kind, substr(effective_on, 1, 7)`,
    keys: ["currency", "kind", { column: "month", of: (r) => `substr(${r}.effective_on, 1, 7)` }],
    count: "events",
    sums: { delta_minor: (r) => `${r}.delta_minor` },
    when: () => "true",
    watch: ["currency", "kind", "effective_on", "delta_minor"],
    prune: true,
  });
}

/**
 * The movements effective on or before `day`, as rows of (currency, kind, events, delta_minor) to
 * add up: the months before `day`'s month from the rollup (its own month too when `day` ends it),
 * the rest of `day`'s month from the movements (an index range on the effective date).
 */
export function movementsUpTo(day: string): { sql: string; params: SqlValue[] } {
  const month = day.slice(0, 7);
  const endsMonth = addDays(day, 1).slice(0, 7) !== month;
  const months = `SELECT currency, kind, events, delta_minor FROM billing_mrr_months WHERE month ${endsMonth ? "<=" : "<"} ?`;
  if (endsMonth) return { sql: months, params: [month] };
  return {
    sql: `${months}
      UNION ALL SELECT currency, kind, 1 AS events, delta_minor FROM billing_mrr_events WHERE effective_on BETWEEN ? AND ?`,
    params: [month, `${month}-01`, day],
  };
}

import { type Migration, type RollupSpec, rollupMigration } from "@toolpacks/pack-kit";
import { OPEN_STAGE_SQL } from "./schemas.js";

/**
 * The open-pipeline rollup: per open stage, owner and currency, how many deals and their native
 * amount. pipeline_summary reads its stage, owner and team groups here when no close period is
 * asked (a row per stage, owner and currency, whatever the number of deals) instead of grouping
 * every open deal. Weighted amounts need no column: a stage has one win probability, so the
 * reader weights each row's amount by its stage. Database triggers keep it current in the same
 * transaction as every insert, update or delete of `crm_deals`, whoever writes (move_deal_stage,
 * seeding, file imports, API sync, removals), so it cannot drift from the rows. A group whose
 * last open deal leaves is deleted, so only groups with open deals are kept.
 */
export const PIPELINE_ROLLUP_TABLE = "crm_pipeline_totals";

const TABLE = `CREATE TABLE crm_pipeline_totals (
  stage TEXT NOT NULL, owner_id TEXT NOT NULL, currency TEXT NOT NULL,
  deals INTEGER NOT NULL, amount_minor INTEGER NOT NULL,
  PRIMARY KEY (stage, owner_id, currency)) WITHOUT ROWID`;

// From the rows already there (a store migrated after it was seeded or imported).
const FILL = `INSERT INTO crm_pipeline_totals (stage, owner_id, currency, deals, amount_minor)
  SELECT stage, owner_id, currency, COUNT(*), SUM(amount_minor) FROM crm_deals
  WHERE stage IN (${OPEN_STAGE_SQL}) GROUP BY stage, owner_id, currency`;

// Written before rollupMigration, with the WHERE and the prune's last keys on lines of their own:
// stores that applied 0007 hold this exact text, so it is kept rather than generated.
const legacyUpsert = (row: string, sign: "+" | "-") =>
  `INSERT INTO crm_pipeline_totals (stage, owner_id, currency, deals, amount_minor)
    SELECT ${row}.stage, ${row}.owner_id, ${row}.currency, ${sign}1, ${sign}${row}.amount_minor
    WHERE ${row}.stage IN (${OPEN_STAGE_SQL})
    ON CONFLICT (stage, owner_id, currency) DO UPDATE SET deals = crm_pipeline_totals.deals + excluded.deals,
      amount_minor = crm_pipeline_totals.amount_minor + excluded.amount_minor`;

const legacyPrune = (row: string) =>
  `DELETE FROM crm_pipeline_totals WHERE stage = ${row}.stage AND owner_id = ${row}.owner_id
    AND currency = ${row}.currency AND deals = 0`;

/** The rollup's definition: its `rollupMigration` spec, less the migration's id. */
export const PIPELINE_ROLLUP = {
  table: PIPELINE_ROLLUP_TABLE,
  source: "crm_deals",
  triggers: "crm_pipeline_totals",
  create: TABLE,
  fill: FILL,
  keys: ["stage", "owner_id", "currency"],
  count: "deals",
  sums: { amount_minor: (r) => `${r}.amount_minor` },
  when: (r) => `${r}.stage IN (${OPEN_STAGE_SQL})`,
  watch: ["stage", "owner_id", "currency", "amount_minor"],
  prune: true,
  legacy: { upsert: legacyUpsert, prune: legacyPrune },
} satisfies Omit<RollupSpec, "id">;

/** The migration that creates, fills and starts maintaining the rollup, on both dialects. */
export function pipelineRollupMigration(id: string): Migration {
  return rollupMigration({ id, ...PIPELINE_ROLLUP });
}

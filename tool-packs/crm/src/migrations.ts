import { type Migration, statementRollupTriggersMigration, trackProvenance } from "@toolpacks/pack-kit";
import { CLOSE_MONTH_ROLLUP, closeMonthRollupMigration } from "./close-month-rollup.js";
import { nameKeysMigration, nameTrigramsMigration } from "./name-search.js";
import { PIPELINE_ROLLUP, pipelineRollupMigration } from "./pipeline-rollup.js";
import { OPEN_STAGE_SQL } from "./schemas.js";
import { STALE_CELLS_ROLLUP, staleCellsMigration } from "./stale-cells.js";
import { daySlabMigration, daySlabRollup } from "./stale-day-slabs.js";

// SQLite's INTEGER is 64-bit; Postgres' is 32-bit, so there every INTEGER column is BIGINT.
const bigint = (sql: string) => sql.replace(/\bINTEGER\b/g, "BIGINT");

const SCHEMA = [
  "CREATE TABLE crm_owners (id TEXT PRIMARY KEY, name TEXT NOT NULL, team TEXT NOT NULL)",
  `CREATE TABLE crm_accounts (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, industry TEXT NOT NULL, country TEXT NOT NULL,
        currency TEXT NOT NULL, segment TEXT NOT NULL, employees INTEGER NOT NULL,
        owner_id TEXT NOT NULL REFERENCES crm_owners (id), created_on TEXT NOT NULL)`,
  `CREATE TABLE crm_contacts (
        id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES crm_accounts (id),
        name TEXT NOT NULL, title TEXT NOT NULL, email TEXT NOT NULL)`,
  `CREATE TABLE crm_targets (
        owner_id TEXT NOT NULL REFERENCES crm_owners (id), period TEXT NOT NULL,
        target_minor INTEGER NOT NULL, currency TEXT NOT NULL, PRIMARY KEY (owner_id, period))`,
  // amount_usd_minor: the amount in the reporting currency, fixed at the world's rates, so
  // aggregates across currencies are one SUM. last_activity_at: kept current by log_activity.
  `CREATE TABLE crm_deals (
        id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES crm_accounts (id),
        owner_id TEXT NOT NULL REFERENCES crm_owners (id), name TEXT NOT NULL, stage TEXT NOT NULL,
        amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, amount_usd_minor INTEGER NOT NULL,
        created_on TEXT NOT NULL, close_date TEXT NOT NULL, stage_changed_on TEXT NOT NULL,
        lost_reason TEXT, last_activity_at TEXT)`,
  `CREATE TABLE crm_deal_lines (
        id TEXT PRIMARY KEY, deal_id TEXT NOT NULL REFERENCES crm_deals (id), line_no INTEGER NOT NULL,
        sku TEXT NOT NULL, quantity INTEGER NOT NULL, unit_price_minor INTEGER NOT NULL,
        discount_pct INTEGER NOT NULL, amount_minor INTEGER NOT NULL, currency TEXT NOT NULL)`,
  `CREATE TABLE crm_activities (
        id TEXT PRIMARY KEY, deal_id TEXT NOT NULL REFERENCES crm_deals (id),
        account_id TEXT NOT NULL, owner_id TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
        occurred_at TEXT NOT NULL)`,
  `CREATE TABLE crm_tasks (
        id TEXT PRIMARY KEY, deal_id TEXT REFERENCES crm_deals (id),
        account_id TEXT NOT NULL REFERENCES crm_accounts (id), owner_id TEXT NOT NULL REFERENCES crm_owners (id),
        title TEXT NOT NULL, due_on TEXT NOT NULL, status TEXT NOT NULL, created_on TEXT NOT NULL, created_by TEXT)`,
  `CREATE TABLE crm_stage_changes (
        id TEXT PRIMARY KEY, deal_id TEXT NOT NULL REFERENCES crm_deals (id), from_stage TEXT NOT NULL,
        to_stage TEXT NOT NULL, changed_on TEXT NOT NULL, reason TEXT, changed_by TEXT)`,
];

const SCHEMA_INDEXES = [
  // pipeline_summary, deals_closed, stale_deals, forecast_vs_target: one stage, a close-date range.
  "CREATE INDEX crm_deals_stage_close ON crm_deals (stage, close_date, owner_id, amount_usd_minor)",
  // owner_leaderboard and per-owner filters.
  "CREATE INDEX crm_deals_owner_stage_close ON crm_deals (owner_id, stage, close_date)",
  // account_health, search_companies (open pipeline per account).
  "CREATE INDEX crm_deals_account_stage ON crm_deals (account_id, stage, amount_usd_minor)",
  // deals_closed and get_deal: the lines of a page of deals.
  "CREATE INDEX crm_deal_lines_deal ON crm_deal_lines (deal_id, line_no)",
  // get_deal (latest activities of a deal), account_health (activity recency).
  "CREATE INDEX crm_activities_deal_time ON crm_activities (deal_id, occurred_at)",
  "CREATE INDEX crm_activities_account_time ON crm_activities (account_id, occurred_at)",
  // (superseded by crm_activity_daily in 0002)
  "CREATE INDEX crm_activities_time_owner ON crm_activities (occurred_at, owner_id)",
  "CREATE INDEX crm_contacts_account ON crm_contacts (account_id)",
  "CREATE INDEX crm_tasks_deal ON crm_tasks (deal_id)",
];

// search_companies: case-insensitive name order. Postgres has no NOCASE collation; lower(name)
// orders the same way (both fold ASCII only).
const NAME_INDEX_SQLITE = "CREATE INDEX crm_accounts_name ON crm_accounts (name COLLATE NOCASE)";
const NAME_INDEX_POSTGRES = "CREATE INDEX crm_accounts_name ON crm_accounts (lower(name))";

// owner_leaderboard: activities per owner per day, kept by the seed and log_activity. WITHOUT
// ROWID (the key is the table) is SQLite's; a Postgres table is a heap with its key index.
const ACTIVITY_DAILY = `CREATE TABLE crm_activity_daily (
        day TEXT NOT NULL, owner_id TEXT NOT NULL, activities INTEGER NOT NULL,
        PRIMARY KEY (day, owner_id))`;

// stale_deals and pipeline_summary top deals: open deals only, largest first, covering.
const OPEN_BY_AMOUNT_0002 = `CREATE INDEX crm_deals_open_by_amount ON crm_deals
        (amount_usd_minor DESC, id, stage, close_date, last_activity_at, created_on, stage_changed_on, account_id, owner_id)
        WHERE stage IN (${OPEN_STAGE_SQL})`;

/**
 * The CRM schema, for SQLite and Postgres (the conformance kit checks both build the same
 * tables, columns, keys, indexes and triggers). Tables are prefixed `crm_` so the four packs can
 * share one store. Every index below serves a named tool query (see the comment beside it); at
 * 10^6 world rows they keep each read tool to an index range scan over one slice of deals.
 */
export const migrations: Migration[] = [
  {
    id: "0001_crm_schema",
    statements: [...SCHEMA, ...SCHEMA_INDEXES, NAME_INDEX_SQLITE],
    postgres: [...SCHEMA.map(bigint), ...SCHEMA_INDEXES, NAME_INDEX_POSTGRES],
  },
  {
    // Measured at 10^6 world rows (80k deals, 270k activities): scanning a quarter of activities
    // took ~70 ms and sorting the open deals by amount ~10 ms per call; these two structures
    // bring every read tool back to one small index scan.
    id: "0002_crm_fast_reads",
    statements: [
      OPEN_BY_AMOUNT_0002,
      `${ACTIVITY_DAILY} WITHOUT ROWID`,
      "DROP INDEX crm_activities_time_owner",
    ],
    postgres: [OPEN_BY_AMOUNT_0002, bigint(ACTIVITY_DAILY), "DROP INDEX crm_activities_time_owner"],
  },
  {
    // Imported companies keep their website domain: the identity map ties them to billing and ERP.
    id: "0003_crm_account_domain",
    statements: ["ALTER TABLE crm_accounts ADD COLUMN domain TEXT"],
  },
  trackProvenance("0004_crm_provenance", ["crm_owners", "crm_accounts", "crm_deals", "crm_deal_lines"]),
  {
    // USD aggregates convert each currency's native total once (the rule every pack states), so
    // the covering indexes carry currency and native amount instead of only the per-deal USD.
    id: "0005_crm_native_amount_indexes",
    statements: [
      "DROP INDEX crm_deals_open_by_amount",
      `CREATE INDEX crm_deals_open_by_amount ON crm_deals
        (amount_usd_minor DESC, id, stage, close_date, last_activity_at, created_on, stage_changed_on, account_id, owner_id, currency, amount_minor)
        WHERE stage IN (${OPEN_STAGE_SQL})`,
      "DROP INDEX crm_deals_stage_close",
      "CREATE INDEX crm_deals_stage_close ON crm_deals (stage, close_date, owner_id, currency, amount_minor)",
      "DROP INDEX crm_deals_account_stage",
      "CREATE INDEX crm_deals_account_stage ON crm_deals (account_id, stage, currency, amount_minor)",
    ],
  },
  // The HubSpot API sync fills contacts too (exports never did).
  trackProvenance("0006_crm_contact_provenance", ["crm_contacts"]),
  // pipeline_summary's open deals per stage, owner and currency, kept by triggers (pipeline-rollup.ts).
  pipelineRollupMigration("0007_crm_pipeline_totals"),
  // Deals per stage, close month, owner and currency for close-period reads (close-month-rollup.ts).
  closeMonthRollupMigration("0008_crm_deal_months"),
  // search_companies: a trigram index of account names (name-search.ts).
  nameTrigramsMigration("0009_crm_account_name_trigrams"),
  // Postgres: the two crm_deals rollups kept once per statement (pack-kit statementRollupTriggersMigration):
  // an import upserting a few groups thousands of times in one transaction was quadratic.
  statementRollupTriggersMigration("0010_crm_rollups_per_statement", [PIPELINE_ROLLUP, CLOSE_MONTH_ROLLUP]),
  {
    // stale_deals' counts and sums per currency read every open deal's three dates: this index
    // holds only what they read, in currency order (no sort for the GROUP BY), about half the
    // bytes per deal of crm_deals_open_by_amount (which still serves its page). Measured at 10^7
    // on SQLite: the sums' scan 85 -> 40 ms of CPU; Postgres' parallel index-only scan is the same.
    id: "0011_crm_open_deal_dates",
    statements: [
      `CREATE INDEX crm_deals_open_dates ON crm_deals
        (currency, close_date, stage_changed_on, last_activity_at, created_on, amount_minor, owner_id)
        WHERE stage IN (${OPEN_STAGE_SQL})`,
    ],
  },
  // search_companies' name index keyed on keys of its own, not crm_accounts' rowids, which a
  // VACUUM, dump/restore or table copy may renumber (name-search.ts).
  nameKeysMigration("0012_crm_account_name_keys"),
  // stale_deals: open deals per currency and close, activity and stage-change month, plus an index
  // per date for the deals of a cutoff's own month (stale-cells.ts).
  staleCellsMigration("0013_crm_stale_cells"),
  // stale_deals: per date, open deals per day of it and the other two months (stale-day-slabs.ts).
  daySlabMigration("0014_crm_stale_close_days", "close"),
  daySlabMigration("0015_crm_stale_activity_days", "activity"),
  daySlabMigration("0016_crm_stale_stage_days", "stage"),
  // Postgres: the four stale_deals rollups kept once per statement, like 0010's: an import's deals
  // crowd into the few cells and days near its as-of.
  statementRollupTriggersMigration("0017_crm_stale_rollups_per_statement", [
    STALE_CELLS_ROLLUP,
    daySlabRollup("close"),
    daySlabRollup("activity"),
    daySlabRollup("stage"),
  ]),
  // stale_deals no longer reads every open deal: 0011's index of their dates only cost writes.
  { id: "0018_crm_drop_open_deal_dates", statements: ["DROP INDEX crm_deals_open_dates"] },
];

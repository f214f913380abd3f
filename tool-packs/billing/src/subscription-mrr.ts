import { type Migration, rollupMigration } from "@toolpacks/pack-kit";
import { usdSql } from "./money.js";

/**
 * Every subscription with the MRR `list_subscriptions` shows for it, kept by triggers: a copy of
 * its row plus the MRR of its latest movement that is not its churn (`mrr_minor`, 0 when none)
 * and that movement's day (`mrr_on`). As of any day on or after `mrr_on` that is exactly the
 * tool's as-of MRR, so its totals come from the rollup below and its pages walk the indexes here
 * in answer order, instead of computing every subscription's MRR per call. When a subscription's
 * latest movement lies after the as-of date, the tool computes from the movements as before.
 */
export const SUBSCRIPTION_MRR_TABLE = "billing_subscription_mrr";

/** Per currency, status, start day and cancellation day (`''` when none): how many and their MRR. */
export const SUBSCRIPTION_TOTALS_TABLE = "billing_subscription_totals";

const COLUMNS = "id, account_id, plan_id, status, seats, currency, started_on, cancelled_on";

const TABLE = `CREATE TABLE billing_subscription_mrr (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, plan_id TEXT NOT NULL, status TEXT NOT NULL,
  seats INTEGER NOT NULL, currency TEXT NOT NULL, started_on TEXT NOT NULL, cancelled_on TEXT,
  mrr_minor INTEGER NOT NULL, mrr_on TEXT) WITHOUT ROWID`;

/** SQL: a column of subscription `id`'s latest movement that is not its churn (NULL when none). */
const latest = (column: string, id: string) =>
  `(SELECT ${column} FROM billing_mrr_events WHERE subscription_id = ${id} AND kind <> 'churn'
    ORDER BY effective_on DESC LIMIT 1)`;

/** SQL: upsert subscription row `r` (NEW) with its MRR as the movements say now. */
const upsert = (r: string) =>
  `INSERT INTO billing_subscription_mrr (${COLUMNS}, mrr_minor, mrr_on)
    SELECT ${COLUMNS.split(", ")
      .map((c) => `${r}.${c}`)
      .join(", ")}, COALESCE(${latest("mrr_minor", `${r}.id`)}, 0), ${latest("effective_on", `${r}.id`)}
    WHERE true
    ON CONFLICT (id) DO UPDATE SET ${[...COLUMNS.split(", ").slice(1), "mrr_minor", "mrr_on"]
      .map((c) => `${c} = excluded.${c}`)
      .join(", ")}`;

const removeRow = (r: string) => `DELETE FROM billing_subscription_mrr WHERE id = ${r}.id`;

/** SQL: refresh the MRR of the subscription a movement `r` belongs to (none: no row, no-op). */
const refreshMrr = (r: string) =>
  `UPDATE billing_subscription_mrr SET mrr_minor = COALESCE(${latest("mrr_minor", `${r}.subscription_id`)}, 0),
    mrr_on = ${latest("effective_on", `${r}.subscription_id`)} WHERE id = ${r}.subscription_id`;

const FILL = `INSERT INTO billing_subscription_mrr (${COLUMNS}, mrr_minor, mrr_on)
  SELECT ${COLUMNS.split(", ")
    .map((c) => `s.${c}`)
    .join(", ")}, COALESCE(${latest("mrr_minor", "s.id")}, 0), ${latest("effective_on", "s.id")}
  FROM billing_subscriptions s`;

/** SQL: a row's MRR in USD, the key of the largest-first index (orderings must use this text). */
export const MRR_USD_SQL = usdSql("mrr_minor");

const INDEXES = [
  `CREATE INDEX billing_subscription_mrr_usd ON billing_subscription_mrr (${MRR_USD_SQL} DESC, id)`,
  "CREATE INDEX billing_subscription_mrr_started ON billing_subscription_mrr (started_on DESC, id)",
  "CREATE INDEX billing_subscription_mrr_cancelled ON billing_subscription_mrr ((cancelled_on IS NULL), cancelled_on DESC, id)",
  "CREATE INDEX billing_subscription_mrr_on ON billing_subscription_mrr (mrr_on)",
];

const EVENT_WATCH = "subscription_id, effective_on, kind, mrr_minor";

const sqliteTriggers = [
  `CREATE TRIGGER billing_subscription_mrr_insert AFTER INSERT ON billing_subscriptions BEGIN ${upsert("NEW")}; END`,
  `CREATE TRIGGER billing_subscription_mrr_update AFTER UPDATE ON billing_subscriptions
    BEGIN ${removeRow("OLD")}; ${upsert("NEW")}; END`,
  `CREATE TRIGGER billing_subscription_mrr_delete AFTER DELETE ON billing_subscriptions BEGIN ${removeRow("OLD")}; END`,
  `CREATE TRIGGER billing_subscription_mrr_event_insert AFTER INSERT ON billing_mrr_events BEGIN ${refreshMrr("NEW")}; END`,
  `CREATE TRIGGER billing_subscription_mrr_event_update AFTER UPDATE OF ${EVENT_WATCH} ON billing_mrr_events
    BEGIN ${refreshMrr("OLD")}; ${refreshMrr("NEW")}; END`,
  `CREATE TRIGGER billing_subscription_mrr_event_delete AFTER DELETE ON billing_mrr_events BEGIN ${refreshMrr("OLD")}; END`,
];

const postgresTriggers = [
  `CREATE FUNCTION billing_subscription_mrr_track() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN ${removeRow("OLD")}; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN ${upsert("NEW")}; END IF;
    RETURN NULL;
  END $$`,
  `CREATE FUNCTION billing_subscription_mrr_event_track() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN ${refreshMrr("OLD")}; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN ${refreshMrr("NEW")}; END IF;
    RETURN NULL;
  END $$`,
  ...["INSERT", "UPDATE", "DELETE"].map(
    (event) =>
      `CREATE TRIGGER billing_subscription_mrr_${event.toLowerCase()} AFTER ${event} ON billing_subscriptions FOR EACH ROW EXECUTE FUNCTION billing_subscription_mrr_track()`,
  ),
  ...["INSERT", "DELETE"].map(
    (event) =>
      `CREATE TRIGGER billing_subscription_mrr_event_${event.toLowerCase()} AFTER ${event} ON billing_mrr_events FOR EACH ROW EXECUTE FUNCTION billing_subscription_mrr_event_track()`,
  ),
  `CREATE TRIGGER billing_subscription_mrr_event_update AFTER UPDATE OF ${EVENT_WATCH} ON billing_mrr_events FOR EACH ROW EXECUTE FUNCTION billing_subscription_mrr_event_track()`,
];

/**
 * The migration that creates, fills and keeps `billing_subscription_mrr` current: triggers on
 * every write of a subscription or an MRR movement, whoever writes (seeding, imports, sync,
 * removals), in the writer's transaction.
 */
export function subscriptionMrrMigration(id: string): Migration {
  return {
    id,
    statements: [TABLE, FILL, ...INDEXES, ...sqliteTriggers],
    postgres: [
      TABLE.replace(/\bINTEGER\b/g, "BIGINT").replace(/\s+WITHOUT ROWID$/, ""),
      FILL,
      ...INDEXES,
      ...postgresTriggers,
      // Statistics now, not at autovacuum's next pass: without them the planner scans the table.
      "ANALYZE billing_subscription_mrr",
    ],
  };
}

/** The totals rollup over `billing_subscription_mrr`, kept by the kit's rollup triggers. */
export function subscriptionTotalsMigration(id: string): Migration {
  const migration = rollupMigration({
    id,
    table: SUBSCRIPTION_TOTALS_TABLE,
    source: SUBSCRIPTION_MRR_TABLE,
    triggers: "billing_subscription_totals",
    create: `CREATE TABLE billing_subscription_totals (
  currency TEXT NOT NULL, status TEXT NOT NULL, started_on TEXT NOT NULL, cancelled_on TEXT NOT NULL,
  subscriptions INTEGER NOT NULL, mrr_minor INTEGER NOT NULL,
  PRIMARY KEY (currency, status, started_on, cancelled_on)) WITHOUT ROWID`,
    fill: `INSERT INTO billing_subscription_totals (currency, status, started_on, cancelled_on, subscriptions, mrr_minor)
  SELECT currency, status, started_on, COALESCE(cancelled_on, ''), COUNT(*), SUM(mrr_minor) FROM billing_subscription_mrr
  GROUP BY currency, status, started_on, COALESCE(cancelled_on, '')`,
    keys: [
      "currency",
      "status",
      "started_on",
      { column: "cancelled_on", of: (r) => `COALESCE(${r}.cancelled_on, '')` },
    ],
    count: "subscriptions",
    sums: { mrr_minor: (r) => `${r}.mrr_minor` },
    when: () => "true",
    watch: ["currency", "status", "started_on", "cancelled_on", "mrr_minor"],
    prune: true,
  });
  return { ...migration, postgres: [...(migration.postgres ?? []), "ANALYZE billing_subscription_totals"] };
}

import { addDays, type Migration, rollupMigration, type SqlValue } from "@toolpacks/pack-kit";
import { usdSql } from "./money.js";

/**
 * What mrr_summary reports of a period's movements, kept so that months add up: per currency,
 * kind and month, how many movements and the sum of their sizes (`billing_mrr_month_moves`); and
 * each movement that follows an earlier one of the same subscription, kind and currency, with
 * that earlier day (`billing_mrr_repeats`). "How many subscriptions moved" does not add across
 * months (one that expands twice counts once), but movements minus repeats inside the period
 * does: a movement repeats inside (opening, closing] exactly when its previous one is after the
 * opening day. The page of largest movements walks an index in its order.
 */
export const MONTH_MOVES_TABLE = "billing_mrr_month_moves";

/** Movements preceded by one of the same subscription, kind and currency, with that one's day. */
export const REPEATS_TABLE = "billing_mrr_repeats";

/** The index of movements by size in USD, largest first, in mrr_summary's page order. */
export const MOVES_USD_INDEX = "billing_mrr_events_usd";

/** SQL: a movement's size in USD, the key of `MOVES_USD_INDEX` (orderings must use this text). */
export const MOVE_USD_SQL = usdSql("ABS(delta_minor)");

/** Sizes per currency, kind and month (kit rollup triggers on the movements). */
export function monthMovesMigration(id: string): Migration {
  const migration = rollupMigration({
    id,
    table: MONTH_MOVES_TABLE,
    source: "billing_mrr_events",
    triggers: "billing_mrr_month_moves",
    create: `CREATE TABLE billing_mrr_month_moves (
  currency TEXT NOT NULL, kind TEXT NOT NULL, month TEXT NOT NULL, events INTEGER NOT NULL, moved_minor INTEGER NOT NULL,
  PRIMARY KEY (currency, kind, month)) WITHOUT ROWID`,
    fill: `INSERT INTO billing_mrr_month_moves (currency, kind, month, events, moved_minor)
  SELECT currency, kind, substr(effective_on, 1, 7), COUNT(*), SUM(ABS(delta_minor)) FROM billing_mrr_events
  GROUP BY currency, kind, substr(effective_on, 1, 7)`,
    keys: ["currency", "kind", { column: "month", of: (r) => `substr(${r}.effective_on, 1, 7)` }],
    count: "events",
    sums: { moved_minor: (r) => `ABS(${r}.delta_minor)` },
    when: () => "true",
    watch: ["currency", "kind", "effective_on", "delta_minor"],
    prune: true,
    also: [
      `CREATE INDEX ${MOVES_USD_INDEX} ON billing_mrr_events (${MOVE_USD_SQL} DESC, subscription_id, effective_on,
        kind, currency, account_id, mrr_minor, delta_minor)`,
    ],
  });
  return { ...migration, postgres: [...(migration.postgres ?? []), `ANALYZE ${MONTH_MOVES_TABLE}`] };
}

const REPEATS = `CREATE TABLE billing_mrr_repeats (
  subscription_id TEXT NOT NULL, effective_on TEXT NOT NULL, kind TEXT NOT NULL, currency TEXT NOT NULL,
  prev_on TEXT NOT NULL, PRIMARY KEY (subscription_id, effective_on)) WITHOUT ROWID`;

/** SQL: the repeats of the movements matching `where` (on `e`), each with its previous day. */
const repeatsOf = (
  where: string,
) => `INSERT INTO billing_mrr_repeats (subscription_id, effective_on, kind, currency, prev_on)
  SELECT subscription_id, effective_on, kind, currency, prev_on FROM (
    SELECT e.subscription_id, e.effective_on, e.kind, e.currency, (SELECT MAX(p.effective_on) FROM billing_mrr_events p
      WHERE p.subscription_id = e.subscription_id AND p.kind = e.kind AND p.currency = e.currency
        AND p.effective_on < e.effective_on) AS prev_on
    FROM billing_mrr_events e WHERE ${where}) r WHERE prev_on IS NOT NULL`;

/** Statements that rebuild the repeats of `row`'s subscription from its movements now (a few rows). */
const rebuild = (row: "NEW" | "OLD") => [
  `DELETE FROM billing_mrr_repeats WHERE subscription_id = ${row}.subscription_id`,
  repeatsOf(`e.subscription_id = ${row}.subscription_id`),
];

const WATCH = "subscription_id, effective_on, kind, currency";

/** The repeats table, filled and kept by triggers on every write of a movement. */
export function repeatsMigration(id: string): Migration {
  const body = (rows: ("NEW" | "OLD")[]) =>
    rows
      .flatMap(rebuild)
      .map((s) => `${s}; `)
      .join("");
  const run = (row: "NEW" | "OLD") =>
    rebuild(row)
      .map((s) => `${s};`)
      .join("\n    ");
  const index = `CREATE INDEX billing_mrr_repeats_effective ON billing_mrr_repeats (effective_on, prev_on, currency, kind)`;
  return {
    id,
    statements: [
      REPEATS,
      repeatsOf("true"),
      index,
      `CREATE TRIGGER billing_mrr_repeats_insert AFTER INSERT ON billing_mrr_events BEGIN ${body(["NEW"])}END`,
      `CREATE TRIGGER billing_mrr_repeats_delete AFTER DELETE ON billing_mrr_events BEGIN ${body(["OLD"])}END`,
      `CREATE TRIGGER billing_mrr_repeats_update AFTER UPDATE OF ${WATCH} ON billing_mrr_events BEGIN ${body(["OLD", "NEW"])}END`,
    ],
    postgres: [
      REPEATS.replace(/\s+WITHOUT ROWID$/, ""),
      repeatsOf("true"),
      index,
      `CREATE FUNCTION billing_mrr_repeats_track() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
    ${run("OLD")}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
    ${run("NEW")}
    END IF;
    RETURN NULL;
  END $$`,
      ...["INSERT", "DELETE"].map(
        (event) =>
          `CREATE TRIGGER billing_mrr_repeats_${event.toLowerCase()} AFTER ${event} ON billing_mrr_events FOR EACH ROW EXECUTE FUNCTION billing_mrr_repeats_track()`,
      ),
      `CREATE TRIGGER billing_mrr_repeats_update AFTER UPDATE OF ${WATCH} ON billing_mrr_events FOR EACH ROW EXECUTE FUNCTION billing_mrr_repeats_track()`,
      `ANALYZE ${REPEATS_TABLE}`,
    ],
  };
}

const monthOf = (day: string) => day.slice(0, 7);
const firstOf = (month: string) => `${month}-01`;

/**
 * The movements effective after `opening` and up to `closing`, as rows of (currency, kind,
 * events, moved_minor) to add up: whole months inside the range from the rollup, the ragged days
 * at either end from the movements themselves (index ranges on the effective date).
 */
export function movementsBetween(opening: string, closing: string): { sql: string; params: SqlValue[] } {
  const start = addDays(opening, 1);
  const firstWhole =
    start === firstOf(monthOf(start)) ? monthOf(start) : monthOf(addDays(firstOf(monthOf(start)), 40));
  const endsMonth = monthOf(addDays(closing, 1)) !== monthOf(closing);
  const lastWhole = endsMonth ? monthOf(closing) : monthOf(addDays(firstOf(monthOf(closing)), -1));
  const events = (from: string, to: string) => ({
    sql: `SELECT currency, kind, 1 AS events, ABS(delta_minor) AS moved_minor FROM billing_mrr_events
      WHERE effective_on > ? AND effective_on <= ?`,
    params: [from, to],
  });
  if (firstWhole > lastWhole || closing <= opening) return events(opening, closing);
  const parts = [
    {
      sql: `SELECT currency, kind, events, moved_minor FROM ${MONTH_MOVES_TABLE} WHERE month BETWEEN ? AND ?`,
      params: [firstWhole, lastWhole] as SqlValue[],
    },
    events(opening, addDays(firstOf(firstWhole), -1)),
    events(addDays(firstOf(monthOf(addDays(firstOf(lastWhole), 40))), -1), closing),
  ];
  return { sql: parts.map((p) => p.sql).join("\n  UNION ALL "), params: parts.flatMap((p) => p.params) };
}

/** SQL: per currency and kind, the movements in (opening, closing] that repeat one inside it. Binds opening, closing, opening. */
export const REPEATS_BETWEEN_SQL = `SELECT currency, kind, COUNT(*) AS repeats FROM ${REPEATS_TABLE}
  WHERE effective_on > ? AND effective_on <= ? AND prev_on > ? GROUP BY currency, kind`;

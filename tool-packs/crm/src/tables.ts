import { defineTables, integer, type RowsOf, text } from "@toolpacks/pack-kit";

/**
 * Every CRM table as the migrations build it, declared once: the queries' row types are
 * `Pick<Rows["table"], ...>` of these, and the conformance kit fails when this and the migrated
 * store (SQLite and Postgres) disagree on a table, a column, its kind or its nullability. A
 * migration that adds or changes a column changes this declaration too.
 */
export const tables = defineTables({
  crm_owners: {
    id: text(),
    name: text(),
    team: text(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  crm_accounts: {
    id: text(),
    name: text(),
    industry: text(),
    country: text(),
    currency: text(),
    segment: text(),
    employees: integer(),
    owner_id: text(),
    created_on: text(),
    domain: text().nullable(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  crm_contacts: {
    id: text(),
    account_id: text(),
    name: text(),
    title: text(),
    email: text(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  crm_targets: {
    owner_id: text(),
    period: text(),
    target_minor: integer(),
    currency: text(),
  },
  crm_deals: {
    id: text(),
    account_id: text(),
    owner_id: text(),
    name: text(),
    stage: text(),
    amount_minor: integer(),
    currency: text(),
    amount_usd_minor: integer(),
    created_on: text(),
    close_date: text(),
    stage_changed_on: text(),
    lost_reason: text().nullable(),
    last_activity_at: text().nullable(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  crm_deal_lines: {
    id: text(),
    deal_id: text(),
    line_no: integer(),
    sku: text(),
    quantity: integer(),
    unit_price_minor: integer(),
    discount_pct: integer(),
    amount_minor: integer(),
    currency: text(),
    source_system: text().nullable(),
    source_id: text().nullable(),
  },
  crm_activities: {
    id: text(),
    deal_id: text(),
    account_id: text(),
    owner_id: text(),
    kind: text(),
    subject: text(),
    occurred_at: text(),
  },
  crm_tasks: {
    id: text(),
    deal_id: text().nullable(),
    account_id: text(),
    owner_id: text(),
    title: text(),
    due_on: text(),
    status: text(),
    created_on: text(),
    created_by: text().nullable(),
  },
  crm_stage_changes: {
    id: text(),
    deal_id: text(),
    from_stage: text(),
    to_stage: text(),
    changed_on: text(),
    reason: text().nullable(),
    changed_by: text().nullable(),
  },
  crm_activity_daily: {
    day: text(),
    owner_id: text(),
    activities: integer(),
  },
  crm_pipeline_totals: {
    stage: text(),
    owner_id: text(),
    currency: text(),
    deals: integer(),
    amount_minor: integer(),
  },
  // A rollup kept by triggers (see its migration).
  crm_deal_months: {
    stage: text(),
    close_month: text(),
    owner_id: text(),
    currency: text(),
    deals: integer(),
    amount_minor: integer(),
  },
  // stale_deals: open deals per currency and close, activity and stage-change month (stale-cells.ts).
  crm_stale_cells: {
    currency: text(),
    close_month: text(),
    activity_month: text(),
    stage_month: text(),
    deals: integer(),
    amount_minor: integer(),
  },
  // stale_deals: per date, open deals per day of it and the other two months (stale-day-slabs.ts).
  crm_stale_close_days: {
    day: text(),
    currency: text(),
    activity_month: text(),
    stage_month: text(),
    deals: integer(),
    amount_minor: integer(),
  },
  crm_stale_activity_days: {
    day: text(),
    currency: text(),
    close_month: text(),
    stage_month: text(),
    deals: integer(),
    amount_minor: integer(),
  },
  crm_stale_stage_days: {
    day: text(),
    currency: text(),
    close_month: text(),
    activity_month: text(),
    deals: integer(),
    amount_minor: integer(),
  },
});

/** The row type of each CRM table, e.g. `Rows["crm_owners"]`. */
export type Rows = RowsOf<typeof tables>;

import { insertRows, type Store, setAsOf } from "@toolpacks/pack-kit";
import { createWorld } from "@toolpacks/world";

/**
 * Fills an empty, migrated store with the CRM slice of the shared world for
 * `(scale, seed)` and records its as-of date. Parents first (foreign keys are on). Every row is
 * the world's as generated (including each deal's USD amount and latest activity); only the
 * per-day activity counts are this store's own rollup of those rows.
 */
export async function seedCrm(store: Store, options: { scale: number; seed: number }): Promise<void> {
  const world = createWorld({ scale: options.scale, seed: options.seed });
  const { crm } = world;
  await insertRows(store, "crm_owners", ["id", "name", "team"], crm.owners());
  await insertRows(
    store,
    "crm_accounts",
    ["id", "name", "industry", "country", "currency", "segment", "employees", "owner_id", "created_on"],
    crm.accounts(),
  );
  await insertRows(store, "crm_contacts", ["id", "account_id", "name", "title", "email"], crm.contacts());
  await insertRows(store, "crm_targets", ["owner_id", "period", "target_minor", "currency"], crm.targets());
  await insertRows(
    store,
    "crm_deals",
    [
      "id",
      "account_id",
      "owner_id",
      "name",
      "stage",
      "amount_minor",
      "currency",
      "amount_usd_minor",
      "created_on",
      "close_date",
      "stage_changed_on",
      "lost_reason",
      "last_activity_at",
    ],
    crm.deals(),
  );
  await insertRows(
    store,
    "crm_deal_lines",
    [
      "id",
      "deal_id",
      "line_no",
      "sku",
      "quantity",
      "unit_price_minor",
      "discount_pct",
      "amount_minor",
      "currency",
    ],
    crm.dealLines(),
  );
  await insertRows(
    store,
    "crm_activities",
    ["id", "deal_id", "account_id", "owner_id", "kind", "subject", "occurred_at"],
    crm.activities(),
  );
  await store.run(
    "INSERT INTO crm_activity_daily (day, owner_id, activities) SELECT substr(occurred_at, 1, 10), owner_id, COUNT(*) FROM crm_activities GROUP BY 1, 2",
  );
  await setAsOf(store, world.asOf);
}

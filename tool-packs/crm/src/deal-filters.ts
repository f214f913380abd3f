import type { Period, SqlValue } from "@toolpacks/pack-kit";

/** Filters shared by the pipeline reads: owner, team and close-date period. */
export interface DealFilters {
  ownerId?: string | undefined;
  team?: string | undefined;
  period?: Period | undefined;
}

/** SQL conditions (ANDed, prefixed with " AND ") and their parameters for the filters that are set. */
export function dealFilterSql(filters: DealFilters): { sql: string; params: SqlValue[] } {
  let sql = "";
  const params: SqlValue[] = [];
  if (filters.period) {
    sql += " AND close_date BETWEEN ? AND ?";
    params.push(filters.period.from, filters.period.to);
  }
  if (filters.ownerId) {
    sql += " AND owner_id = ?";
    params.push(filters.ownerId);
  }
  if (filters.team) {
    sql += " AND owner_id IN (SELECT id FROM crm_owners WHERE team = ?)";
    params.push(filters.team);
  }
  return { sql, params };
}

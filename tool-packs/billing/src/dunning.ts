import { addDays } from "@toolpacks/pack-kit";

/** Dunning stages in escalation order. */
export const DUNNING_STAGES = ["reminder", "second_notice", "final_notice", "collections"] as const;

/** One dunning stage. */
export type DunningStage = (typeof DUNNING_STAGES)[number];

/** Oldest days overdue at which each stage starts (reminder from day 1). */
const STAGE_FROM: Record<DunningStage, number> = {
  reminder: 1,
  second_notice: 15,
  final_notice: 31,
  collections: 61,
};

/** The dunning stage an account is due for, from the days its oldest overdue invoice is late. */
export function dunningStage(oldestDaysOverdue: number): DunningStage {
  if (oldestDaysOverdue >= STAGE_FROM.collections) return "collections";
  if (oldestDaysOverdue >= STAGE_FROM.final_notice) return "final_notice";
  if (oldestDaysOverdue >= STAGE_FROM.second_notice) return "second_notice";
  return "reminder";
}

/** The rule in words, for tool descriptions. */
export const DUNNING_RULE =
  "reminder (1-14 days overdue), second_notice (15-30), final_notice (31-60), collections (61+)";

/**
 * SQL: the dunning stage of an account whose oldest overdue invoice is due on `column`, as of
 * the day `stageEdges` was given (ISO dates compare as text): the same rule as `dunningStage`.
 */
export const stageSql = (column: string): string => `CASE
  WHEN ${column} >= ? THEN 'reminder'
  WHEN ${column} >= ? THEN 'second_notice'
  WHEN ${column} >= ? THEN 'final_notice'
  ELSE 'collections' END`;

/** The parameters of `stageSql` as of a day: the last due dates of each stage but collections. */
export function stageEdges(asOf: string): string[] {
  return [STAGE_FROM.second_notice, STAGE_FROM.final_notice, STAGE_FROM.collections].map((from) =>
    addDays(asOf, 1 - from),
  );
}

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

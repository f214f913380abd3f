import type { AnyToolDefinition } from "@toolpacks/pack-kit";
import { accountHealth } from "./account_health.js";
import { createFollowUpTask } from "./create_follow_up_task.js";
import { dealsClosed } from "./deals_closed.js";
import { forecastVsTarget } from "./forecast_vs_target.js";
import { getDeal } from "./get_deal.js";
import { logActivity } from "./log_activity.js";
import { moveDealStage } from "./move_deal_stage.js";
import { ownerLeaderboard } from "./owner_leaderboard.js";
import { pipelineSummary } from "./pipeline_summary.js";
import { searchCompanies } from "./search_companies.js";
import { staleDeals } from "./stale_deals.js";

/** The CRM pack's read tools, in the order clients list them. */
export const readTools: readonly AnyToolDefinition[] = [
  pipelineSummary,
  dealsClosed,
  staleDeals,
  accountHealth,
  searchCompanies,
  forecastVsTarget,
  ownerLeaderboard,
  getDeal,
];

/** The CRM pack's write tools (scope `crm:write`). */
export const writeTools: readonly AnyToolDefinition[] = [moveDealStage, logActivity, createFollowUpTask];

export {
  accountHealth,
  createFollowUpTask,
  dealsClosed,
  forecastVsTarget,
  getDeal,
  logActivity,
  moveDealStage,
  ownerLeaderboard,
  pipelineSummary,
  searchCompanies,
  staleDeals,
};

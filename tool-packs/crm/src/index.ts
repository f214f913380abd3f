export { migrations } from "./migrations.js";
export { formatMinor } from "./money.js";
export { type CrmPackOptions, createCrmPack, pack } from "./pack.js";
export { seedCrm } from "./seed/seed.js";
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
  readTools,
  searchCompanies,
  staleDeals,
  writeTools,
} from "./tools/index.js";

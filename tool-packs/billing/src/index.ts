// Public surface of @toolpacks/billing: the pack, its factory, and its parts for composition.
export { DUNNING_STAGES, type DunningStage, dunningStage } from "./dunning.js";
export { AGING_BUCKETS, type AgingBucket, agingBucket } from "./invoices-sql.js";
export { migrations } from "./migrations.js";
export { formatMinor } from "./money.js";
export { type BillingPackOptions, createBillingPack, pack } from "./pack.js";
export { seedBilling } from "./seed/seed.js";
export {
  arAging,
  checkOverdueAccounts,
  customerBalance,
  dunningCandidates,
  getInvoice,
  invoiceOrder,
  issueCreditNote,
  listSubscriptions,
  mrrSummary,
  overdueInvoices,
  readTools,
  recordPayment,
  revenueByPeriod,
  writeTools,
} from "./tools/index.js";

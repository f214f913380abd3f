export { migrations } from "./migrations.js";
export { createStarterPack, pack, type StarterPackOptions } from "./pack.js";
export { seedStarter } from "./seed.js";
export {
  createStarterRecord,
  readTools,
  starterCustomerFacts,
  starterSummary,
  writeTools,
} from "./tools/index.js";

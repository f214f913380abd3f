export { type AllocationPlan, planAllocation } from "./allocate.js";
export { migrations } from "./migrations.js";
export { createWarehousePack, pack, type WarehousePackOptions } from "./pack.js";
export { seedWarehouse } from "./seed/seed.js";
export {
  availableToPromise,
  createShipment,
  inventoryValuation,
  lowStock,
  movementSummary,
  readTools,
  releaseReservation,
  reserveStock,
  shipmentStatus,
  writeTools,
} from "./tools/index.js";

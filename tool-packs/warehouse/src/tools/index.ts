import type { AnyToolDefinition } from "@toolpacks/pack-kit";
import { availableToPromise } from "./available_to_promise.js";
import { createShipment } from "./create_shipment.js";
import { inventoryValuation } from "./inventory_valuation.js";
import { lowStock } from "./low_stock.js";
import { movementSummary } from "./movement_summary.js";
import { releaseReservation } from "./release_reservation.js";
import { reserveStock } from "./reserve_stock.js";
import { shipmentStatus } from "./shipment_status.js";

/** The warehouse pack's read tools, in the order clients list them. */
export const readTools: readonly AnyToolDefinition[] = [
  availableToPromise,
  lowStock,
  inventoryValuation,
  movementSummary,
  shipmentStatus,
];

/** The warehouse pack's write tools (scope `warehouse:write`). */
export const writeTools: readonly AnyToolDefinition[] = [reserveStock, releaseReservation, createShipment];

export {
  availableToPromise,
  createShipment,
  inventoryValuation,
  lowStock,
  movementSummary,
  releaseReservation,
  reserveStock,
  shipmentStatus,
};

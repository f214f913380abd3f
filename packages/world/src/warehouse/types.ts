/** A warehouse site (same `id` as ERP order and purchase-order locations). */
export interface WarehouseLocation {
  id: string;
  name: string;
  city: string;
  country: string;
}

/**
 * Stock of one SKU at one location. Available to promise = on_hand - reserved;
 * a row is low stock when that falls below `reorder_point`, out of stock at 0 on hand.
 */
export interface WarehouseStock {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  reorder_point: number;
}

/** Kinds of stock movement; issues and outbound transfers carry negative quantities. */
export type MovementKind = "receipt" | "issue" | "adjustment" | "transfer";

/** A stock movement in the last 90 days. */
export interface WarehouseMovement {
  id: string;
  sku: string;
  location_id: string;
  kind: MovementKind;
  quantity: number;
  occurred_at: string;
  /** Purchase order id for receipts, else null. */
  reference: string | null;
}

/** `in_transit` until three days after shipping, then `delivered`. */
export type ShipmentStatus = "in_transit" | "delivered";

/** The shipment of one shipped ERP sales order. */
export interface WarehouseShipment {
  id: string;
  sales_order_id: string;
  customer_id: string;
  location_id: string;
  shipped_on: string;
  carrier: string;
  status: ShipmentStatus;
  units: number;
}

/** A warehouse site (same `id` as ERP order and purchase-order locations). */
export interface WarehouseLocation {
  id: string;
  name: string;
  city: string;
  country: string;
}

/** An item as the warehouse values it: the ERP item's name, category and standard cost. */
export interface WarehouseItem {
  sku: string;
  name: string;
  category: string;
  /** Standard cost per unit, USD minor units (the ERP item's `unit_cost_minor`). */
  unit_cost_minor: number;
  currency: "USD";
}

/**
 * Stock of one SKU at one location. Available to promise = on_hand - reserved;
 * a row is low stock when that falls below `reorder_point`, out of stock when nothing
 * is available. `reserved` is exactly the sum of the active reservation lines of the row.
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

/**
 * A stock movement. Receipts are the arrivals of received ERP purchase orders in the last 90 days
 * (`reference` = the PO id, same SKU, location and quantity, on the PO's `expected_date`). Issues
 * are the lines of every shipment (`reference` = the shipment id, same location, the order line's
 * SKU, minus its quantity, on the ship day). Adjustments and transfers are the last 90 days'.
 */
export interface WarehouseMovement {
  id: string;
  sku: string;
  location_id: string;
  kind: MovementKind;
  quantity: number;
  occurred_at: string;
  /** Purchase order id for receipts, shipment id for issues, else null. */
  reference: string | null;
}

/** `active` holds stock; `released` gave it back; `shipped` left with a shipment. */
export type ReservationStatus = "active" | "released" | "shipped";

/** Stock held for one sales order (generated: the active reservation of each confirmed order). */
export interface WarehouseReservation {
  id: string;
  order_id: string;
  status: ReservationStatus;
  created_on: string;
  closed_on: string | null;
}

/** Units of one SKU held at one location by a reservation. */
export interface WarehouseReservationLine {
  reservation_id: string;
  line_no: number;
  sku: string;
  location_id: string;
  quantity: number;
}

/** A reservation with its lines. */
export interface ReservationBundle {
  reservation: WarehouseReservation;
  lines: WarehouseReservationLine[];
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

import { type Migration, rollupMigration } from "@toolpacks/pack-kit";
import { joinedRollupTriggers } from "./joined-rollup.js";

/**
 * shipment_status's window counts: per shipping day, status and carrier, how many shipments and
 * units. A window of N days reads at most N x 2 x carriers rows, whatever the number of shipments.
 * Kept by the kit's triggers on every write of `wh_shipments`; a group whose last shipment
 * leaves is deleted.
 */
export function shipmentDaysMigration(id: string): Migration {
  return rollupMigration({
    id,
    table: "wh_shipment_days",
    source: "wh_shipments",
    triggers: "wh_shipment_days",
    create: `CREATE TABLE wh_shipment_days (
  shipped_on TEXT NOT NULL, status TEXT NOT NULL, carrier TEXT NOT NULL, shipments INTEGER NOT NULL, units INTEGER NOT NULL,
  PRIMARY KEY (shipped_on, status, carrier)) WITHOUT ROWID`,
    fill: `INSERT INTO wh_shipment_days (shipped_on, status, carrier, shipments, units)
  SELECT shipped_on, status, carrier, COUNT(*), SUM(units) FROM wh_shipments GROUP BY shipped_on, status, carrier`,
    keys: ["shipped_on", "status", "carrier"],
    count: "shipments",
    sums: { units: (r) => `${r}.units` },
    when: () => "1 = 1",
    watch: ["shipped_on", "status", "carrier", "units"],
    prune: true,
  });
}

/**
 * Per reservation, how many lines it has and their units: the first step of the reservation
 * totals below (a reservation appears here once it has a line, and leaves with its last line).
 */
export function reservationUnitsMigration(id: string): Migration {
  return rollupMigration({
    id,
    table: "wh_reservation_units",
    source: "wh_reservation_lines",
    triggers: "wh_reservation_units",
    create: `CREATE TABLE wh_reservation_units (
  reservation_id TEXT NOT NULL, lines INTEGER NOT NULL, units INTEGER NOT NULL,
  PRIMARY KEY (reservation_id)) WITHOUT ROWID`,
    fill: `INSERT INTO wh_reservation_units (reservation_id, lines, units)
  SELECT reservation_id, COUNT(*), SUM(quantity) FROM wh_reservation_lines GROUP BY reservation_id`,
    keys: ["reservation_id"],
    count: "lines",
    sums: { units: (r) => `${r}.quantity` },
    when: () => "1 = 1",
    watch: ["reservation_id", "quantity"],
    prune: true,
  });
}

/**
 * Adds (sign +) or removes (sign -) what the reservations of `from` (yielding `r`, a reservation,
 * and `u`, its line totals) contribute to their status. Grouped: one Postgres upsert may touch a
 * row only once, and an empty `from` then writes nothing.
 */
const contribute = (from: string, sign: "+" | "-") => [
  `INSERT INTO wh_reservation_totals (status, orders, units)
    SELECT r.status, ${sign}COUNT(*), ${sign}SUM(u.units) FROM ${from} GROUP BY r.status
    ON CONFLICT (status) DO UPDATE SET orders = wh_reservation_totals.orders + excluded.orders,
      units = wh_reservation_totals.units + excluded.units`,
];

/** One line-totals row (OLD or NEW) with its reservation as it stands. */
const unitsRow = (row: "OLD" | "NEW") =>
  `(SELECT ${row}.reservation_id AS reservation_id, ${row}.units AS units) u
    JOIN wh_reservations r ON r.id = u.reservation_id`;
/** One reservation (OLD or NEW) with its line totals, if it has lines. */
const reservationRow = (row: "OLD" | "NEW") =>
  `wh_reservation_units u JOIN (SELECT ${row}.id AS id, ${row}.status AS status) r
    ON r.id = u.reservation_id WHERE u.reservation_id = ${row}.id`;

const TRIGGERS = joinedRollupTriggers("wh_reservation_totals", [
  {
    table: "wh_reservation_units",
    name: "units",
    columns: "reservation_id, units",
    contribute,
    rows: unitsRow,
  },
  { table: "wh_reservations", name: "status", columns: "id, status", contribute, rows: reservationRow },
]);

const TABLE = `CREATE TABLE wh_reservation_totals (
  status TEXT NOT NULL PRIMARY KEY, orders INTEGER NOT NULL, units INTEGER NOT NULL)`;
const FILL = `INSERT INTO wh_reservation_totals (status, orders, units)
  SELECT r.status, COUNT(*), SUM(u.units) FROM wh_reservations r JOIN wh_reservation_units u ON u.reservation_id = r.id
  GROUP BY r.status`;

/**
 * shipment_status's active reservations: per reservation status, how many reservations have
 * lines (orders) and their units, exactly what `wh_reservations JOIN wh_reservation_lines` counts.
 * Kept from two tables: a reservation's status change moves its line totals between statuses,
 * and a line written moves its reservation's totals (through `wh_reservation_units`, which must
 * be migrated first). A status whose reservations all leave stays as a row of zeros.
 */
export function reservationTotalsMigration(id: string): Migration {
  return {
    id,
    statements: [TABLE, FILL, ...TRIGGERS.sqlite],
    postgres: [TABLE.replace(/\bINTEGER\b/g, "BIGINT"), FILL, ...TRIGGERS.postgres],
  };
}

import {
  decodeCursor,
  defineTool,
  encodeCursor,
  nextCursorSchema,
  pageInputShape,
  queryPage,
  type ReadStore,
  type SqlValue,
  sqlFor,
} from "@toolpacks/pack-kit";
import { z } from "zod";
import { type RankedSku, type RankingWindow, rankIssued } from "../movement-ranking.js";
import { addDays, locationIdSchema, skuSchema } from "../schemas.js";
import type { Rows } from "../tables.js";

const KINDS = ["receipt", "issue", "adjustment", "transfer"] as const;

/** Windows up to this many days rank from the day index (see the ranking query). */
const DAY_INDEX_MAX_DAYS = 45;

/** The index the SKU ranking reads on SQLite. */
function rankingIndex(days: number, location: string | undefined, sku: string | undefined): string {
  if (sku) return "wh_movements_sku";
  return location || days <= DAY_INDEX_MAX_DAYS ? "wh_movements_day" : "wh_movements_sku";
}

const SUMS =
  "SUM(CASE WHEN quantity > 0 THEN quantity ELSE 0 END) AS units_in, " +
  "-SUM(CASE WHEN quantity < 0 THEN quantity ELSE 0 END) AS units_out, SUM(quantity) AS net";

/** The window's movements of one kind at one location. */
type Group = Pick<
  Rows["wh_movement_days"],
  "kind" | "location_id" | "movements" | "units_in" | "units_out" | "net"
>;

/** The window's groups from the per-day rollup: at most days x kinds x locations rows. */
function groupsFromDays(store: ReadStore, window: RankingWindow): Promise<Group[]> {
  return store.all<Group>(
    `SELECT kind, location_id, SUM(movements) AS movements, SUM(units_in) AS units_in, SUM(units_out) AS units_out,
       SUM(net) AS net FROM wh_movement_days WHERE day BETWEEN ? AND ?${window.location_id ? " AND location_id = ?" : ""}
     GROUP BY kind, location_id`,
    [window.from, window.to, ...(window.location_id ? [window.location_id] : [])],
  );
}

/** The window's groups of one SKU: one range of its movements (wh_movements_sku_day_kind), grouped. */
function groupsOfSku(store: ReadStore, where: string, params: SqlValue[]): Promise<Group[]> {
  return store.all<Group>(
    `SELECT kind, location_id, COUNT(*) AS movements, ${SUMS} ${where} GROUP BY kind, location_id`,
    params,
  );
}

/** Stock movements over the last N days: in, out and net by kind, location and SKU. */
export const movementSummary = defineTool({
  name: "movement_summary",
  title: "Stock movement summary",
  description:
    "Returns stock movements over the last N days up to the warehouse's date (default 30): per kind " +
    "(receipt, issue, adjustment, transfer) the count, units in, units out and net; net units per location; " +
    "and the SKUs with the most units issued (out, in, net). Filter by location or SKU. Page the SKUs with " +
    "next_cursor.",
  input: z.object({
    days: z.number().int().min(1).max(365).default(30).describe("window length in days, ending on as_of"),
    location_id: locationIdSchema.optional(),
    sku: skuSchema.optional(),
    ...pageInputShape({ defaultLimit: 10, maxLimit: 40 }),
  }),
  output: z.object({
    as_of: z.string(),
    window: z.object({ from: z.string(), to: z.string() }),
    totals: z.object({
      movements: z.number().int(),
      units_in: z.number().int(),
      units_out: z.number().int(),
      net: z.number().int(),
    }),
    by_kind: z.array(
      z.object({
        kind: z.enum(KINDS),
        movements: z.number().int(),
        units_in: z.number().int(),
        units_out: z.number().int(),
        net: z.number().int(),
      }),
    ),
    by_location: z.array(
      z.object({ location_id: z.string(), movements: z.number().int(), net: z.number().int() }),
    ),
    top_issued: z.array(
      z.object({
        sku: z.string(),
        units_out: z.number().int(),
        units_in: z.number().int(),
        net: z.number().int(),
      }),
    ),
    next_cursor: nextCursorSchema,
  }),
  scope: "warehouse:read",
  budgetTokens: 1500,
  examples: [{}, { days: 90, limit: 3 }, { location_id: "WH-01" }, { sku: "SKU-00001", days: 90 }],
  async handler({ days, location_id, sku, limit, cursor }, { store, asOf }) {
    const from = addDays(asOf, -(days - 1));
    // Timestamps sort as text; everything before the next day's midnight is inside the window.
    let where = "FROM wh_movements WHERE occurred_at >= ? AND occurred_at < ?";
    const params: SqlValue[] = [from, addDays(asOf, 1)];
    if (location_id) {
      where += " AND location_id = ?";
      params.push(location_id);
    }
    if (sku) {
      where += " AND sku = ?";
      params.push(sku);
    }
    const window = { from, to: asOf, location_id };
    // Without a SKU, the per-day rollup holds the window's groups; one SKU is one index range.
    const groups = sku ? await groupsOfSku(store, where, params) : await groupsFromDays(store, window);
    const byKind = KINDS.flatMap((kind) => {
      const rows = groups.filter((g) => g.kind === kind);
      if (rows.length === 0) return [];
      const sum = (f: (g: (typeof rows)[number]) => number) => rows.reduce((n, g) => n + f(g), 0);
      return [
        {
          kind,
          movements: sum((g) => g.movements),
          units_in: sum((g) => g.units_in),
          units_out: sum((g) => g.units_out),
          net: sum((g) => g.net),
        },
      ];
    });
    const locationIds = [...new Set(groups.map((g) => g.location_id))].sort();
    const byLocation = locationIds.map((location_id) => {
      const rows = groups.filter((g) => g.location_id === location_id);
      return {
        location_id,
        movements: rows.reduce((n, g) => n + g.movements, 0),
        net: rows.reduce((n, g) => n + g.net, 0),
      };
    });
    const filters = { days, location_id, sku };
    const offset = decodeCursor(cursor, filters);
    // Without a SKU, the month rollups bound every SKU's total and only the page's contenders are
    // counted (movement-ranking.ts); when they cannot settle the page, group the window's movements.
    const ranked = sku ? undefined : await rankIssued(store, window, offset, limit + 1);
    const page = ranked
      ? {
          items: ranked.slice(0, limit),
          next_cursor: ranked.length > limit ? encodeCursor(offset + limit, filters) : null,
        }
      : await queryPage<RankedSku>(
          store,
          // Two ways to rank, both exact: walk the whole SKU index (grouping without a sorter), or read
          // only the window's range of the day index and group it in a sorter (about 4x the cost per
          // row). The window's range wins when it is a small part of history (a month) or when one
          // location keeps the sorter small; one SKU is one range of the SKU index. SQLite needs the
          // hint; Postgres' planner picks by statistics and has none.
          `SELECT sku, ${SUMS} ${where.replace("FROM wh_movements", `FROM wh_movements${sqlFor(store.dialect).indexedBy(rankingIndex(days, location_id, sku))}`)}
           GROUP BY sku ORDER BY units_out DESC, sku`,
          params,
          { limit, cursor },
          filters,
        );
    const total = (f: (r: (typeof byKind)[number]) => number) => byKind.reduce((s, r) => s + f(r), 0);
    return {
      as_of: asOf,
      window: { from, to: asOf },
      totals: {
        movements: total((r) => r.movements),
        units_in: total((r) => r.units_in),
        units_out: total((r) => r.units_out),
        net: total((r) => r.net),
      },
      by_kind: byKind,
      by_location: byLocation,
      top_issued: page.items,
      next_cursor: page.next_cursor,
    };
  },
});

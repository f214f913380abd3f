import type { DomainRow, RejectedRow, SyncPage, SyncSource } from "@toolpacks/pack-kit";
import { appendAll, SyncError } from "@toolpacks/pack-kit";
import { awaitBulk, bulkTexts, startBulk } from "./bulk.js";
import { malformedLine, readBulkLine } from "./bulk-line.js";
import type { ShopifyGraphql } from "./client.js";
import { pushToShopify } from "./push.js";
import { LEVELS_SINCE, LOCATIONS, VARIANTS_SINCE } from "./queries.js";
import { levelRows, locationRows, type Mapped, variantRows } from "./rows.js";
import type { ApiConnection, ApiLevelWithItem, ApiLocation, ApiVariant } from "./shapes.js";

/** Locations (every run), the first load's bulk export, then variants and levels changed since. */
export const SHOPIFY_STREAMS = ["locations", "bulk", "variants", "levels"] as const;

/** Options of `shopifySource`. */
export interface ShopifySourceOptions {
  /** Records per committed page (and per paged query). Default 250, Shopify's maximum. */
  pageSize?: number;
  /** First wait between bulk operation polls, in ms (doubles to 30 s). Default 1000. */
  pollMs?: number;
  /** Waits `ms` (tests record instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** The clock the `updated_at` cursors are taken from. Default now. */
  now?: () => Date;
  /**
   * How far before a pass's start the next pass reads again, in ms, so a record saved while the
   * pass ran (or under clock skew between Shopify and this machine) is never skipped. Default 5 min.
   */
  overlapMs?: number;
}

interface SinceCursor {
  since: string;
  location?: string;
  after?: string;
}

const parse = <T>(cursor: string | undefined): T | undefined =>
  cursor === undefined || !cursor.startsWith("{") ? undefined : (JSON.parse(cursor) as T);

function page(stream: string, cursor: unknown, mapped: readonly Mapped[]): SyncPage {
  const rows: DomainRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const m of mapped) {
    appendAll(rows, m.rows);
    appendAll(rejected, m.rejected);
  }
  return { stream, cursor: typeof cursor === "string" ? cursor : JSON.stringify(cursor), rows, rejected };
}

/**
 * A shop's Admin GraphQL API as a sync source of the warehouse pack. Every run lists the
 * locations. The first load then notes the time, runs one bulk operation (every variant with its
 * inventory levels at every location), polls it to the end and streams its JSONL file, committing
 * a page of lines at a time with the operation's id and the line reached as cursor: a crash
 * resumes the same operation after the last committed line. Every later run reads the variants
 * and the levels (per location) whose `updated_at` is at or after the previous pass's start (less
 * `overlapMs`), paging with `pageInfo.endCursor`; the cursor names the location and page reached.
 * A bulk operation that FAILED (or was canceled, or expired) is `bulk_failed`, and the next run
 * starts a new one.
 */
export function shopifySource(shopify: ShopifyGraphql, options: ShopifySourceOptions = {}): SyncSource {
  const first = options.pageSize ?? 250;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const overlap = options.overlapMs ?? 5 * 60_000;
  const passStart = () => new Date(now().getTime() - overlap).toISOString();
  return {
    system: "shopify",
    streams: SHOPIFY_STREAMS,
    async *pull({ cursors, signal }) {
      const locations = await listLocations(shopify, first);
      yield page("locations", now().toISOString(), locations.map(locationRows));
      let variants = parse<SinceCursor>(cursors.get("variants"));
      let levels = parse<SinceCursor>(cursors.get("levels"));
      if (!variants || !levels) {
        // Noted before the bulk export starts: what changes while it runs comes as increments.
        const since = passStart();
        variants = { since };
        levels = { since };
        yield page("variants", variants, []);
        yield page("levels", levels, []);
      }
      const bulk = cursors.get("bulk");
      if (bulk !== "done") {
        let at = parse<{ op: string; line: number }>(bulk);
        if (!at) {
          at = { op: await startBulk(shopify), line: 0 };
          yield page("bulk", at, []);
        }
        const op = at.op;
        try {
          const done = await awaitBulk(shopify, op, { pollMs: options.pollMs ?? 1000, sleep, signal });
          if (done.url) yield* bulkPages(shopify, done.url, at, first, signal);
        } catch (error) {
          // A failed operation is never polled again: the next run starts a new one.
          if (error instanceof SyncError && error.code === "bulk_failed") yield page("bulk", "new", []);
          throw error;
        }
        yield page("bulk", "done", []);
      }
      yield* variantsSince(shopify, variants, first, passStart);
      yield* levelsSince(shopify, levels, locations, first, passStart);
    },
    push: (write, key) => pushToShopify(shopify, write, key),
  };
}

async function listLocations(shopify: ShopifyGraphql, first: number): Promise<ApiLocation[]> {
  const all: ApiLocation[] = [];
  let after: string | null = null;
  do {
    const answer: { locations: ApiConnection<ApiLocation> } = await shopify.request(
      LOCATIONS,
      { first, after },
      "listing locations",
    );
    appendAll(all, answer.locations.nodes);
    after = answer.locations.pageInfo.hasNextPage ? answer.locations.pageInfo.endCursor : null;
  } while (after);
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The bulk file's records after `at.line`, `first` lines a page; levels name their variant's SKU.
 * Every line is checked (`readBulkLine`), and a level must follow its variant (the query asks for
 * grouped output): a line that fails either throws `source_malformed` before the page holding it
 * is yielded, so nothing of that page is committed and the cursor stays at the last whole page.
 */
async function* bulkPages(
  shopify: ShopifyGraphql,
  url: string,
  at: { op: string; line: number },
  first: number,
  signal: AbortSignal | undefined,
): AsyncIterable<SyncPage> {
  // Variant (and inventory item) id -> SKU ("" without one), also from the lines a resumed run
  // skips (their levels may follow).
  const skus = new Map<string, string>();
  let batch: Mapped[] = [];
  let last = at.line;
  // The runner commits a yielded page before asking for the next one.
  let committed = at.line;
  for await (const { line, text, last: final } of bulkTexts(shopify, url, signal)) {
    const where = { op: at.op, line, committed };
    const record = readBulkLine(text, where, final);
    if (!("__parentId" in record)) {
      // Shopify documents `__parentId` as the parent connection's node (the variant); the
      // inventory item's id is accepted too, as the levels' nearest parent object.
      skus.set(record.id, record.sku?.trim() ?? "");
      skus.set(record.inventoryItem.id, record.sku?.trim() ?? "");
      if (line > at.line) batch.push(variantRows(record));
    } else {
      const sku = skus.get(record.__parentId);
      if (sku === undefined) {
        throw malformedLine(
          where,
          `is an inventory level whose __parentId ${JSON.stringify(record.__parentId)} names no variant on an earlier line`,
        );
      }
      // A level of a variant without SKU is not stocked in the pack (nothing to match it by).
      if (sku && line > at.line) batch.push(levelRows(record, sku));
    }
    if (line <= at.line) continue;
    last = line;
    if (line - at.line >= first && (line - at.line) % first === 0) {
      yield page("bulk", { op: at.op, line }, batch);
      committed = line;
      batch = [];
    }
  }
  if (batch.length > 0) yield page("bulk", { op: at.op, line: last }, batch);
}

function updatedSince(since: string): string {
  return `updated_at:>='${since}'`;
}

async function* variantsSince(
  shopify: ShopifyGraphql,
  cursor: SinceCursor,
  first: number,
  passStart: () => string,
): AsyncIterable<SyncPage> {
  const next = passStart();
  let after = cursor.after ?? null;
  for (;;) {
    const answer: { productVariants: ApiConnection<ApiVariant> } = await shopify.request(
      VARIANTS_SINCE,
      { first, after, query: updatedSince(cursor.since) },
      `listing variants updated since ${cursor.since}`,
    );
    const { nodes, pageInfo } = answer.productVariants;
    const more = pageInfo.hasNextPage && pageInfo.endCursor;
    yield page(
      "variants",
      more ? { since: cursor.since, after: pageInfo.endCursor } : { since: next },
      nodes.map(variantRows),
    );
    if (!more) return;
    after = pageInfo.endCursor;
  }
}

async function* levelsSince(
  shopify: ShopifyGraphql,
  cursor: SinceCursor,
  locations: readonly ApiLocation[],
  first: number,
  passStart: () => string,
): AsyncIterable<SyncPage> {
  const next = passStart();
  const todo = locations.filter((l) => cursor.location === undefined || l.id >= cursor.location);
  for (const [i, location] of todo.entries()) {
    let after = location.id === cursor.location ? (cursor.after ?? null) : null;
    const lastLocation = i === todo.length - 1;
    for (;;) {
      const answer: { location: { inventoryLevels: ApiConnection<ApiLevelWithItem> } | null } =
        await shopify.request(
          LEVELS_SINCE,
          { location: location.id, first, after, query: updatedSince(cursor.since) },
          `listing inventory levels at ${location.name} updated since ${cursor.since}`,
        );
      const levels = answer.location?.inventoryLevels;
      const more = Boolean(levels?.pageInfo.hasNextPage && levels.pageInfo.endCursor);
      const mapped = (levels?.nodes ?? []).flatMap((level) => {
        const sku = level.item.variant?.sku?.trim();
        return sku ? [levelRows(level, sku)] : [];
      });
      const position = more
        ? { since: cursor.since, location: location.id, after: levels?.pageInfo.endCursor }
        : lastLocation
          ? { since: next }
          : { since: cursor.since, location: todo[i + 1]?.id };
      yield page("levels", position, mapped);
      if (!more) break;
      after = levels?.pageInfo.endCursor ?? null;
    }
  }
  if (todo.length === 0) yield page("levels", { since: next }, []);
}

import type { DomainRow, ReadStore, RejectedRow, SyncPage, SyncSource } from "@toolpacks/pack-kit";
import { appendAll, SyncError } from "@toolpacks/pack-kit";
import type { HubSpot } from "./client.js";
import { pushToHubSpot } from "./push.js";
import {
  companyRows,
  contactRows,
  dealRows,
  lineItemRows,
  type Mapped,
  type MappingContext,
  ownerName,
  ownerRows,
  stagesOf,
} from "./rows.js";
import type { ApiObject, ApiOwner, ApiSearchRequest } from "./shapes.js";

/** The CRM object types synced, parents first (a deal's company before it, a line's deal before it). */
export const OBJECT_TYPES = ["companies", "contacts", "deals", "line_items"] as const;
type ObjectType = (typeof OBJECT_TYPES)[number];

/** Per type: properties read, the association read with it, its last-modified property, its rows. */
const TYPES: Record<
  ObjectType,
  {
    properties: string[];
    association?: string;
    modified: string;
  }
> = {
  companies: {
    properties: [
      "name",
      "domain",
      "industry",
      "country",
      "numberofemployees",
      "hubspot_owner_id",
      "createdate",
    ],
    modified: "hs_lastmodifieddate",
  },
  // Contacts name their last-modified property without the hs_ prefix.
  contacts: {
    properties: ["firstname", "lastname", "email", "jobtitle", "associatedcompanyid", "createdate"],
    modified: "lastmodifieddate",
  },
  deals: {
    properties: [
      "dealname",
      "dealstage",
      "pipeline",
      "amount",
      "deal_currency_code",
      "closedate",
      "createdate",
      "hubspot_owner_id",
      "closed_lost_reason",
      "notes_last_updated",
      "hs_v2_date_entered_current_stage",
    ],
    association: "companies",
    modified: "hs_lastmodifieddate",
  },
  line_items: {
    properties: [
      "name",
      "hs_sku",
      "quantity",
      "price",
      "hs_discount_percentage",
      "amount",
      "hs_line_item_currency_code",
      "hs_position_on_quote",
    ],
    association: "deals",
    modified: "hs_lastmodifieddate",
  },
};

/** Every stream the source keeps a cursor for: owners, the first load of each type, its changes, its deletions. */
export const HUBSPOT_STREAMS = [
  "owners",
  ...OBJECT_TYPES,
  ...OBJECT_TYPES.map((t) => `changes:${t}`),
  ...OBJECT_TYPES.map((t) => `archived:${t}`),
] as const;

/** Deletions are applied children first: a line before its deal, a deal before its company. */
const REMOVAL_ORDER: readonly ObjectType[] = ["line_items", "contacts", "deals", "companies"];

/** A first-load stream's cursor once it has read everything (increments come from the search API). */
const DONE = "done";

/** Options of `hubspotSource`. */
export interface HubSpotSourceOptions {
  /** Records per request and committed page. Default 100 (the list API's maximum; search allows 200). */
  pageSize?: number;
  /** Results the search API pages through for one query. Default 10 000, HubSpot's limit. */
  searchWindow?: number;
  /** The clock, for the first load's change cursor. Default now. */
  now?: () => number;
  /**
   * How far before the first load its change cursor starts, in ms: records changed while it
   * runs (or just before, with clocks apart) are read again as changes. Default 5 minutes.
   */
  overlapMs?: number;
}

/** The changes cursor: the last modification time read, and the ids read at exactly that time. */
interface ChangesCursor {
  since: number;
  ids: string[];
}

function readChangesCursor(text: string, stream: string): ChangesCursor {
  try {
    const parsed = JSON.parse(text) as ChangesCursor;
    if (Number.isFinite(parsed.since) && Array.isArray(parsed.ids)) return parsed;
  } catch {
    // fall through
  }
  throw new SyncError(
    "cursor_invalid",
    `The saved cursor of ${stream} is not one this connector wrote (${JSON.stringify(text.slice(0, 60))}). Fix: run the sync with --full.`,
  );
}

function page(stream: string, cursor: string, mapped: readonly Mapped[]): SyncPage {
  const rows: DomainRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const m of mapped) {
    appendAll(rows, m.rows);
    appendAll(rejected, m.rejected);
  }
  return { stream, cursor, rows, rejected };
}

const modifiedAt = (o: ApiObject, property: string) => {
  const value = o.properties[property];
  const at = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? o.updatedAt.getTime() : at;
};

/**
 * HubSpot as a sync source of the CRM pack, through the official client (CRM v3 objects).
 * Every run reads the owners and the deal pipelines' stages first. First load: companies,
 * contacts, deals (with their company associations) and line items (with their deal) through
 * the list API's `after` paging, each page committed with the `after` of the next one. Before
 * that first load it saves, per type, a change cursor a few minutes before now, so everything
 * that changes while it runs is read again afterwards. Increments: the search API on the
 * last-modified property, `GTE` the cursor, ascending; records read at exactly the cursor's time
 * are skipped (the cursor keeps their ids), and when a query reaches the search API's 10,000
 * result window the search starts again from the last time read. Deals' and line items'
 * associations come from the v4 associations batch API for records found by search.
 */
export function hubspotSource(hubspot: HubSpot, options: HubSpotSourceOptions = {}): SyncSource {
  const limit = options.pageSize ?? 100;
  const window = options.searchWindow ?? 10_000;
  const now = options.now ?? Date.now;
  const overlap = options.overlapMs ?? 5 * 60_000;
  const lineNos = new Map<string, number>();
  const lineNo = (dealId: string, o: ApiObject) => {
    const position = Number(o.properties["hs_position_on_quote"] ?? "");
    if (o.properties["hs_position_on_quote"] && Number.isSafeInteger(position) && position >= 0)
      return position + 1;
    const next = (lineNos.get(dealId) ?? 0) + 1;
    lineNos.set(dealId, next);
    return next;
  };

  const rowsOf = (type: ObjectType, objects: ApiObject[], context: MappingContext): Mapped => {
    if (type === "companies") return companyRows(objects, context);
    if (type === "contacts") return contactRows(objects);
    if (type === "deals") return dealRows(objects, context);
    return lineItemRows(objects, lineNo);
  };

  async function context(): Promise<{ context: MappingContext; owners: ApiOwner[] }> {
    const owners: ApiOwner[] = [];
    let after: string | undefined;
    do {
      const current = after;
      const result = await hubspot.call("listing owners", (c) =>
        c.crm.owners.ownersApi.getPage(undefined, current, 100, false),
      );
      appendAll(owners, result.results);
      after = result.paging?.next?.after;
    } while (after);
    const pipelines = await hubspot.call("reading deal pipelines", (c) =>
      c.crm.pipelines.pipelinesApi.getAll("deals"),
    );
    return {
      owners,
      context: {
        owners: new Map(owners.map((o) => [o.id, ownerName(o)])),
        stages: stagesOf(pipelines.results),
      },
    };
  }

  /** Attaches each record's associations of `to` (v4 batch read), as the list API would. */
  async function withAssociations(type: ObjectType, objects: ApiObject[]): Promise<ApiObject[]> {
    const to = TYPES[type].association;
    if (!to || objects.length === 0) return objects;
    const batch = await hubspot.call(`reading ${type} associations to ${to}`, (c) =>
      c.crm.associations.v4.batchApi.getPage(type, to, { inputs: objects.map((o) => ({ id: o.id })) }),
    );
    const byId = new Map(batch.results.map((r) => [r._from.id, r.to]));
    return objects.map((o) => {
      const results = (byId.get(o.id) ?? []).map((t) => ({
        id: t.toObjectId,
        type: t.associationTypes.some((a) => /primary/i.test(a.label ?? "")) ? "primary" : "unlabeled",
      }));
      return { ...o, associations: { [to]: { results } } } as ApiObject;
    });
  }

  async function* firstLoad(type: ObjectType, cursor: string | undefined, ctx: MappingContext) {
    const spec = TYPES[type];
    let after = cursor;
    do {
      const current = after;
      const result = await hubspot.call(`listing ${type}`, (c) =>
        c.crm.objects.basicApi.getPage(
          type,
          limit,
          current,
          spec.properties,
          undefined,
          spec.association ? [spec.association] : undefined,
          false,
        ),
      );
      after = result.paging?.next?.after;
      yield page(type, after ?? DONE, [rowsOf(type, result.results, ctx)]);
    } while (after);
  }

  async function* changes(type: ObjectType, saved: string, ctx: MappingContext) {
    const stream = `changes:${type}`;
    const spec = TYPES[type];
    let { since, ids } = readChangesCursor(saved, stream);
    let seen = new Set(ids);
    for (;;) {
      // One query pages with a fixed `since`; the cursor's own `since` moves ahead as pages are read.
      const startedAt = since;
      const skip = new Set(seen);
      let after: string | undefined;
      let restart = false;
      do {
        const request: ApiSearchRequest = {
          filterGroups: [
            {
              filters: [{ propertyName: spec.modified, operator: "GTE" as never, value: String(startedAt) }],
            },
          ],
          // The documented form; the client's model types `sorts` as strings.
          sorts: [{ propertyName: spec.modified, direction: "ASCENDING" }] as unknown as string[],
          properties: [...spec.properties, spec.modified],
          limit,
          ...(after ? { after } : {}),
        };
        const result = await hubspot.call(
          `searching ${type} changed since ${new Date(startedAt).toISOString()}`,
          (c) => c.crm.objects.searchApi.doSearch(type, request),
        );
        const fresh = result.results.filter(
          (o) => !(modifiedAt(o, spec.modified) === startedAt && skip.has(o.id)),
        );
        for (const o of result.results) {
          const at = modifiedAt(o, spec.modified);
          if (at > since) {
            since = at;
            seen = new Set();
          }
          if (at === since) seen.add(o.id);
        }
        const objects = await withAssociations(type, fresh as ApiObject[]);
        const next = result.paging?.next?.after;
        yield page(stream, JSON.stringify({ since, ids: [...seen] }), [rowsOf(type, objects, ctx)]);
        after = next;
        // HubSpot answers no further than `window` results per query: query again from the last time read.
        if (after && Number(after) + limit > window) restart = true;
      } while (after && !restart);
      if (!restart) return;
      if (since === startedAt) {
        throw new SyncError(
          "source_refused",
          `More than ${window} ${type} share one modification time (${new Date(since).toISOString()}); the search API cannot page past them. Fix: run the sync with --full.`,
        );
      }
    }
  }

  /**
   * Records archived (deleted) in HubSpot since the cursor -> rows to remove: line items and
   * contacts always; a deal with its lines unless an activity, task or stage change recorded in
   * the pack refers to it; a company unless a deal, contact or task still refers to it. A kept
   * row stays as it was last synced. HubSpot lists archived records for 90 days, in no order, so
   * each run reads the whole list and applies those archived at or after the cursor (removing
   * twice is harmless: a key the store lacks is skipped).
   */
  async function* archived(type: ObjectType, saved: string, store: ReadStore | undefined) {
    const stream = `archived:${type}`;
    const { since } = readChangesCursor(saved, stream);
    let latest = since;
    const removed: Array<{ table: string; key: string }> = [];
    let after: string | undefined;
    do {
      const current = after;
      const result = await hubspot.call(`listing archived ${type}`, (c) =>
        c.crm.objects.basicApi.getPage(type, limit, current, ["hs_object_id"], undefined, undefined, true),
      );
      for (const o of result.results) {
        const at = o.archivedAt?.getTime() ?? o.updatedAt.getTime();
        if (at < since) continue;
        latest = Math.max(latest, at);
        appendAll(removed, await removalsOf(type, o.id, store));
      }
      after = result.paging?.next?.after;
    } while (after);
    yield { ...page(stream, JSON.stringify({ since: latest, ids: [] }), []), removed };
  }

  return {
    system: "hubspot",
    streams: HUBSPOT_STREAMS,
    async *pull({ cursors, store }) {
      const { context: ctx, owners } = await context();
      yield page("owners", String(owners.length), [ownerRows(owners)]);
      for (const type of OBJECT_TYPES) {
        const start = JSON.stringify({ since: now() - overlap, ids: [] });
        if (cursors.get(`changes:${type}`) === undefined) yield page(`changes:${type}`, start, []);
        if (cursors.get(`archived:${type}`) === undefined) yield page(`archived:${type}`, start, []);
      }
      for (const type of OBJECT_TYPES) {
        const cursor = cursors.get(type);
        if (cursor === DONE) continue;
        yield* firstLoad(type, cursor, ctx);
      }
      for (const type of OBJECT_TYPES) {
        const saved = cursors.get(`changes:${type}`);
        if (saved !== undefined) yield* changes(type, saved, ctx);
      }
      for (const type of REMOVAL_ORDER) {
        const saved = cursors.get(`archived:${type}`);
        if (saved !== undefined) yield* archived(type, saved, store);
      }
    },
    push: (write, key) => pushToHubSpot(hubspot, write, key),
  };
}

/** The rows to remove for one archived record (see `archived`); none while a kept row refers to it. */
async function removalsOf(
  type: ObjectType,
  id: string,
  store: ReadStore | undefined,
): Promise<Array<{ table: string; key: string }>> {
  const refers = async (sql: string, key: string) =>
    store ? (await store.first(sql, [key, key, key])) !== undefined : false;
  if (type === "line_items") return [{ table: "crm_deal_lines", key: `hs:L-${id}` }];
  if (type === "contacts") return [{ table: "crm_contacts", key: `hs:P-${id}` }];
  if (type === "deals") {
    const key = `hs:D-${id}`;
    const kept = await refers(
      `SELECT 1 AS x WHERE EXISTS (SELECT 1 FROM crm_activities WHERE deal_id = ?)
        OR EXISTS (SELECT 1 FROM crm_tasks WHERE deal_id = ?) OR EXISTS (SELECT 1 FROM crm_stage_changes WHERE deal_id = ?)`,
      key,
    );
    if (kept) return [];
    const lines = store
      ? await store.all<{ id: string }>("SELECT id FROM crm_deal_lines WHERE deal_id = ?", [key])
      : [];
    return [...lines.map((l) => ({ table: "crm_deal_lines", key: l.id })), { table: "crm_deals", key }];
  }
  const key = `hs:C-${id}`;
  const kept = await refers(
    `SELECT 1 AS x WHERE EXISTS (SELECT 1 FROM crm_deals WHERE account_id = ?)
      OR EXISTS (SELECT 1 FROM crm_contacts WHERE account_id = ?) OR EXISTS (SELECT 1 FROM crm_tasks WHERE account_id = ?)`,
    key,
  );
  return kept ? [] : [{ table: "crm_accounts", key }];
}

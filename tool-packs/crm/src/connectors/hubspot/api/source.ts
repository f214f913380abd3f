import type { DomainRow, RejectedRow, SyncPage, SyncSource } from "@toolpacks/pack-kit";
import { SyncError } from "@toolpacks/pack-kit";
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

/** Every stream the source keeps a cursor for: owners, the first load of each type, then its changes. */
export const HUBSPOT_STREAMS = [
  "owners",
  ...OBJECT_TYPES,
  ...OBJECT_TYPES.map((t) => `changes:${t}`),
] as const;

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
    rows.push(...m.rows);
    rejected.push(...m.rejected);
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
      owners.push(...result.results);
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

  return {
    system: "hubspot",
    streams: HUBSPOT_STREAMS,
    async *pull({ cursors }) {
      const { context: ctx, owners } = await context();
      yield page("owners", String(owners.length), [ownerRows(owners)]);
      for (const type of OBJECT_TYPES) {
        if (cursors.get(`changes:${type}`) === undefined) {
          const start = JSON.stringify({ since: now() - overlap, ids: [] });
          yield page(`changes:${type}`, start, []);
        }
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
    },
    push: (write, key) => pushToHubSpot(hubspot, write, key),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  ApiAssociatedPage,
  ApiAssociationBatch,
  ApiBatchRead,
  ApiError,
  ApiObject,
  ApiObjectPage,
  ApiOwner,
  ApiOwnerPage,
  ApiPipelines,
  ApiProperty,
  ApiSearchPage,
  Wire,
} from "../connectors/hubspot/api/shapes.js";

/** A record as the fake keeps it. */
export interface FakeRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: number;
  updatedAt: number;
  archivedAt?: number;
  /** Associated record ids by type, with the association's label (`Primary` or none). */
  associations: Record<string, Array<{ id: string; label?: string }>>;
  /** The properties as the search index last saw them; `undefined` until first indexed. */
  indexed?: Record<string, string | null>;
}

/** One request the fake received. */
export interface FakeRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
}

/**
 * A local HubSpot CRM API for tests and benchmarks, serving the documented shapes (typed as
 * `Wire<…>` of the official client's models): CRM v3 objects listed with `limit` / `after` /
 * `properties` / `associations` / `archived`, search with `GTE` / `EQ` filters sorted on one
 * property, a 10,000-result search window (400 past it), owners, deal pipelines, v4 association
 * batch reads, creates and PATCHes; errors as `{ status, message, correlationId, category }`.
 * Faults are scripted: 429s (ten-second window, optional Retry-After), 5xx, an expired token, a
 * write applied but answered late. Like HubSpot: search serves an index that lags writes by
 * `searchLagMs` (records created or changed within it are missing or stale there, while reads by
 * id, lists, batch reads and association lists are current); a property defined with
 * `hasUniqueValue` refuses a second record holding its value with 409 `OBJECT_ALREADY_EXISTS`
 * naming the existing record's id, and such a property reads a record by value (`idProperty`).
 * Not HubSpot: no property validation beyond that and what tests script (undefined properties are
 * stored), archiving is seen by search at once, every property is returned as stored.
 */
export interface FakeHubSpot {
  /** `http://127.0.0.1:PORT`, for `--base-url`. */
  url: string;
  /** The only token it accepts (others are 401). */
  token: string;
  /** Records by object type (`companies`, `contacts`, `deals`, `line_items`, `tasks`, `notes` …). */
  objects: Map<string, Map<string, FakeRecord>>;
  owners: Wire<ApiOwner>[];
  /** Property definitions by object type, then name (`GET /crm/v3/properties/{type}/{name}`). */
  properties: Map<string, Map<string, Wire<ApiProperty>>>;
  /**
   * Defines a custom single-line text property. `hasUniqueValue` is refused (throws) on object
   * types HubSpot does not offer unique values on (activities: notes, calls, meetings, emails, tasks).
   */
  defineProperty(type: string, name: string, options?: { hasUniqueValue?: boolean }): Wire<ApiProperty>;
  /**
   * How long (ms) a record created or changed stays missing (or stale) in search results;
   * `Infinity`: until `indexNow()`. Default 0 (search sees every write at once).
   */
  searchLagMs: number;
  /** Brings the search index up to date with every write so far. */
  indexNow(): void;
  /** Adds (or, with a known `id`, replaces) a record, stamping its modification time. */
  add(
    type: string,
    properties: Record<string, string | null>,
    associations?: FakeRecord["associations"],
  ): FakeRecord;
  /** Changes a record's properties, stamping its modification time. */
  update(type: string, id: string, properties: Record<string, string | null>): FakeRecord;
  /** Archives (deletes) a record. */
  archive(type: string, id: string): void;
  addOwner(firstName: string, lastName: string, team?: string): Wire<ApiOwner>;
  /** The next modification time stamped (ms); each stamp advances it by `step` (0: all equal). */
  clock: { now: number; step: number };
  /**
   * The next `times` requests matching `match` (`"POST /crm/v3/objects/deals/search"`), after
   * letting `skip` of them through, get `status` with `body` and `headers` instead.
   */
  fail(
    times: number,
    status: number,
    options?: {
      match?: RegExp;
      skip?: number;
      headers?: Record<string, string>;
      body?: Partial<Wire<ApiError>>;
    },
  ): void;
  /** The token answers 401 EXPIRED_AUTHENTICATION from now on. */
  expireToken(): void;
  /** The next write is applied, then answered only after `ms` (or never, when the client gives up first). */
  answerNextWriteAfter(ms: number): void;
  /** Refuses writes whose JSON body matches `match` with 400 VALIDATION_ERROR and `message`. */
  refuseWrites(match: RegExp, message: string): void;
  /** Results one search query pages through at most. Default 10 000. */
  searchWindow: number;
  /** Writes applied. */
  applied: number;
  requests: FakeRequest[];
  close(): Promise<void>;
}

const MODIFIED: Record<string, string> = { contacts: "lastmodifieddate" };
const modifiedProperty = (type: string) => MODIFIED[type] ?? "hs_lastmodifieddate";
const iso = (ms: number) => new Date(ms).toISOString();

/** The fake's one pipeline: HubSpot's default sales pipeline and its stage ids. */
export const DEFAULT_PIPELINE: Wire<ApiPipelines> = {
  results: [
    {
      id: "default",
      label: "Sales Pipeline",
      displayOrder: 0,
      archived: false,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      stages: [
        ["appointmentscheduled", "Appointment Scheduled", "0.2", "false"],
        ["qualifiedtobuy", "Qualified To Buy", "0.4", "false"],
        ["presentationscheduled", "Presentation Scheduled", "0.6", "false"],
        ["decisionmakerboughtin", "Decision Maker Bought-In", "0.8", "false"],
        ["contractsent", "Contract Sent", "0.9", "false"],
        ["closedwon", "Closed Won", "1.0", "true"],
        ["closedlost", "Closed Lost", "0.0", "true"],
        // A renamed custom stage: only its metadata says it is won.
        ["1234567", "Signed (custom)", "1.0", "true"],
      ].map(([id, label, probability, isClosed], displayOrder) => ({
        id: id as string,
        label: label as string,
        displayOrder,
        archived: false,
        metadata: { probability: probability as string, isClosed: isClosed as string },
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:00:00.000Z",
      })),
    },
  ],
};

interface Fault {
  times: number;
  skip: number;
  status: number;
  match: RegExp | undefined;
  headers: Record<string, string>;
  body: Partial<Wire<ApiError>> | undefined;
}

/** Starts a fake HubSpot API on a free loopback port. */
export async function startFakeHubSpot(
  options: { token?: string; searchLagMs?: number } = {},
): Promise<FakeHubSpot> {
  const token = options.token ?? "pat-na1-fake-0123456789";
  let nextId = 1000;
  const faults: Fault[] = [];
  const refusals: Array<{ match: RegExp; message: string }> = [];
  let expired = false;
  let slowNextWrite = 0;
  let correlation = 0;
  /** Records written but not yet indexed, with the time (Date.now()) they will be. */
  const unindexed = new Map<FakeRecord, number>();

  const fake: FakeHubSpot = {
    url: "",
    token,
    objects: new Map(),
    owners: [],
    properties: new Map(),
    searchLagMs: options.searchLagMs ?? 0,
    defineProperty(type, name, o = {}) {
      const unique = o.hasUniqueValue === true;
      if (unique && !UNIQUE_VALUE_OBJECTS.test(type)) {
        throw new Error(`fake: HubSpot offers no unique values on ${type} properties`);
      }
      const property: Wire<ApiProperty> = {
        name,
        label: name,
        description: "",
        groupName: `${singular(type)}information`,
        type: "string",
        fieldType: "text",
        options: [],
        hasUniqueValue: unique,
        hubspotDefined: false,
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:00:00.000Z",
      };
      let defined = fake.properties.get(type);
      if (!defined) {
        defined = new Map();
        fake.properties.set(type, defined);
      }
      defined.set(name, property);
      return property;
    },
    indexNow() {
      for (const record of unindexed.keys()) index(record);
    },
    clock: { now: Date.parse("2026-11-01T00:00:00Z"), step: 1000 },
    searchWindow: 10_000,
    applied: 0,
    requests: [],
    add(type, properties, associations = {}) {
      const id = properties["hs_object_id"] ?? String(nextId++);
      const at = stamp();
      const record: FakeRecord = {
        id,
        properties: { ...properties, hs_object_id: id, createdate: properties["createdate"] ?? iso(at) },
        createdAt: at,
        updatedAt: at,
        associations,
      };
      record.properties[modifiedProperty(type)] = iso(at);
      table(type).set(id, record);
      reindex(record);
      return record;
    },
    update(type, id, properties) {
      const record = table(type).get(id);
      if (!record) throw new Error(`fake: no ${type} ${id}`);
      const at = stamp();
      Object.assign(record.properties, properties, { [modifiedProperty(type)]: iso(at) });
      record.updatedAt = at;
      reindex(record);
      return record;
    },
    archive(type, id) {
      const record = table(type).get(id);
      if (!record) throw new Error(`fake: no ${type} ${id}`);
      record.archivedAt = stamp();
    },
    addOwner(firstName, lastName, team) {
      const id = String(nextId++);
      const owner: Wire<ApiOwner> = {
        id,
        firstName,
        lastName,
        email: `${firstName.toLowerCase()}@example.com`,
        type: "PERSON",
        archived: false,
        userId: Number(id),
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:00:00.000Z",
        ...(team ? { teams: [{ id: `t-${team}`, name: team, primary: true }] } : {}),
      };
      fake.owners.push(owner);
      return owner;
    },
    fail(times, status, o = {}) {
      faults.push({
        times,
        status,
        skip: o.skip ?? 0,
        match: o.match,
        headers: o.headers ?? {},
        body: o.body,
      });
    },
    expireToken() {
      expired = true;
    },
    answerNextWriteAfter(ms) {
      slowNextWrite = ms;
    },
    refuseWrites(match, message) {
      refusals.push({ match, message });
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function index(record: FakeRecord): void {
    record.indexed = { ...record.properties };
    unindexed.delete(record);
  }
  function reindex(record: FakeRecord): void {
    if (fake.searchLagMs <= 0) index(record);
    else unindexed.set(record, Date.now() + fake.searchLagMs);
  }
  /** The first live record of `type` other than `except` whose `name` holds a unique `value`. */
  function holderOf(type: string, name: string, value: string, except?: string): FakeRecord | undefined {
    for (const r of table(type).values()) {
      if (r.id !== except && r.archivedAt === undefined && r.properties[name] === value) return r;
    }
    return undefined;
  }
  /** HubSpot's 409 when `properties` gives a unique property a value another record holds. */
  function uniqueConflict(
    type: string,
    properties: Record<string, string | null>,
    except?: string,
  ): Wire<ApiError> | undefined {
    for (const [name, definition] of fake.properties.get(type) ?? []) {
      const value = properties[name];
      if (!definition.hasUniqueValue || value === undefined || value === null || value === "") continue;
      const holder = holderOf(type, name, value, except);
      if (!holder) continue;
      const noun = singular(type);
      return {
        ...error(
          "OBJECT_ALREADY_EXISTS",
          `${noun[0]?.toUpperCase()}${noun.slice(1)} already exists. Existing ID: ${holder.id}`,
        ),
        errors: [
          {
            message: `A ${noun} with ${name} ${value} already exists. Existing ID: ${holder.id}`,
            in: name,
          },
        ],
      };
    }
    return undefined;
  }
  function stamp(): number {
    const at = fake.clock.now;
    fake.clock.now += fake.clock.step;
    return at;
  }
  function table(type: string): Map<string, FakeRecord> {
    let t = fake.objects.get(type);
    if (!t) {
      t = new Map();
      fake.objects.set(type, t);
    }
    return t;
  }
  const error = (category: string, message: string): Wire<ApiError> => ({
    status: "error",
    message,
    correlationId: `c0ffee00-0000-4000-8000-${String(++correlation).padStart(12, "0")}`,
    category,
  });
  const wire = (
    type: string,
    r: FakeRecord,
    properties: string[] | undefined,
    associations: string[],
  ): Wire<ApiObject> => {
    const picked: Record<string, string | null> = {};
    const names = properties ?? ["hs_object_id", "createdate", modifiedProperty(type)];
    for (const name of [...names, "hs_object_id", "createdate", modifiedProperty(type)]) {
      picked[name] = r.properties[name] ?? null;
    }
    const out: Wire<ApiObject> = {
      id: r.id,
      properties: picked,
      createdAt: iso(r.createdAt),
      updatedAt: iso(r.updatedAt),
      archived: r.archivedAt !== undefined,
      ...(r.archivedAt !== undefined ? { archivedAt: iso(r.archivedAt) } : {}),
    };
    const assoc: NonNullable<Wire<ApiObject>["associations"]> = {};
    for (const to of associations) {
      const list = r.associations[to] ?? [];
      if (list.length === 0) continue;
      assoc[to] = {
        results: list.map((a) => ({
          id: a.id,
          type:
            a.label === "Primary"
              ? `${singular(type)}_to_${singular(to)}`
              : `${singular(type)}_to_${singular(to)}_unlabeled`,
        })),
      };
    }
    if (Object.keys(assoc).length > 0) out.associations = assoc;
    return out;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    // The client asks some collections with a trailing slash (`/crm/v3/owners/`).
    url.pathname = url.pathname.replace(/(.)\/+$/, "$1");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text === "" ? undefined : (JSON.parse(text) as unknown);
    const method = req.method ?? "GET";
    fake.requests.push({ method, path: url.pathname, query: url.search, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json;charset=utf-8", ...headers });
      res.end(JSON.stringify(payload));
    };
    const line = `${method} ${url.pathname}`;
    for (const fault of faults) {
      if (fault.times === 0 || (fault.match && !fault.match.test(line))) continue;
      if (fault.skip > 0) {
        fault.skip--;
        continue;
      }
      fault.times--;
      const category =
        fault.status === 429
          ? "RATE_LIMITS"
          : fault.status >= 500
            ? "INTERNAL_ERROR"
            : fault.status === 409
              ? "CONFLICT"
              : "VALIDATION_ERROR";
      const message =
        fault.status === 429
          ? "You have reached your ten_secondly_rolling limit."
          : fault.status === 409
            ? "Conflict"
            : "internal error";
      return send(
        fault.status,
        {
          ...error(category, message),
          ...(fault.status === 429 ? { policyName: "TEN_SECONDLY_ROLLING" } : {}),
          ...fault.body,
        },
        fault.headers,
      );
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(
        401,
        error(
          "INVALID_AUTHENTICATION",
          "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
        ),
      );
    }
    if (expired) {
      return send(
        401,
        error("EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired 1 hour(s) ago."),
      );
    }
    const parts = url.pathname.split("/").filter(Boolean);
    const q = url.searchParams;
    const list = (name: string) => {
      const values = q
        .getAll(name)
        .flatMap((v) => v.split(","))
        .filter(Boolean);
      return values.length > 0 ? values : undefined;
    };

    if (line === "GET /crm/v3/owners") {
      const after = Number(q.get("after") ?? 0);
      const limit = Number(q.get("limit") ?? 100);
      const results = fake.owners.slice(after, after + limit);
      const page: Wire<ApiOwnerPage> = {
        results,
        ...(after + limit < fake.owners.length ? { paging: { next: { after: String(after + limit) } } } : {}),
      };
      return send(200, page);
    }
    if (line === "GET /crm/v3/pipelines/deals") return send(200, DEFAULT_PIPELINE);

    // GET /crm/v3/properties/{type}/{name}
    if (method === "GET" && parts[1] === "v3" && parts[2] === "properties" && parts.length === 5) {
      const property = fake.properties.get(parts[3] as string)?.get(parts[4] as string);
      if (!property) {
        return send(404, error("OBJECT_NOT_FOUND", `Unable to find property ${parts[4]} on ${parts[3]}.`));
      }
      return send(200, property);
    }

    // GET /crm/v4/objects/{from}/{id}/associations/{to}: current, not the search index.
    if (method === "GET" && parts[1] === "v4" && parts[2] === "objects" && parts[5] === "associations") {
      const [from, id, to] = [parts[3] as string, parts[4] as string, parts[6] as string];
      const record = table(from).get(id);
      if (!record || record.archivedAt !== undefined) {
        return send(404, error("OBJECT_NOT_FOUND", `No ${from} with id ${id}.`));
      }
      const after = Number(q.get("after") ?? 0);
      const limit = Math.min(Number(q.get("limit") ?? 500), 500);
      const all = record.associations[to] ?? [];
      const page: Wire<ApiAssociatedPage> = {
        results: all.slice(after, after + limit).map((a) => ({
          toObjectId: a.id,
          associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 0 }],
        })),
        ...(after + limit < all.length ? { paging: { next: { after: String(after + limit) } } } : {}),
      };
      return send(200, page);
    }

    // POST /crm/v4/associations/{from}/{to}/batch/read
    if (method === "POST" && parts[0] === "crm" && parts[1] === "v4" && parts[6] === "read") {
      const [from, to] = [parts[3] as string, parts[4] as string];
      const inputs = (body as { inputs: Array<{ id: string }> }).inputs;
      const batch: Wire<ApiAssociationBatch> = {
        status: "COMPLETE",
        startedAt: iso(Date.now()),
        completedAt: iso(Date.now()),
        results: inputs
          .map((i) => table(from).get(i.id))
          .filter((r): r is FakeRecord => r !== undefined && (r.associations[to]?.length ?? 0) > 0)
          .map((r) => ({
            from: { id: r.id },
            to: (r.associations[to] ?? []).map((a) => ({
              toObjectId: a.id,
              associationTypes: [
                a.label === "Primary"
                  ? { category: "HUBSPOT_DEFINED", typeId: 5, label: "Primary" }
                  : { category: "HUBSPOT_DEFINED", typeId: 341 },
              ],
            })),
          })),
      };
      return send(200, batch);
    }

    if (parts[0] !== "crm" || parts[1] !== "v3" || parts[2] !== "objects" || !parts[3]) {
      return send(404, error("OBJECT_NOT_FOUND", `No route for ${line}`));
    }
    const type = parts[3];
    const records = table(type);

    if (method === "GET" && parts.length === 4) {
      const archived = q.get("archived") === "true";
      const after = q.get("after");
      const limit = Math.min(Number(q.get("limit") ?? 10), 100);
      const sorted = [...records.values()]
        .filter((r) => (r.archivedAt !== undefined) === archived)
        .sort((a, b) => Number(a.id) - Number(b.id));
      const start = after ? sorted.findIndex((r) => Number(r.id) >= Number(after)) : 0;
      const slice = start < 0 ? [] : sorted.slice(start, start + limit);
      const following = start < 0 ? undefined : sorted[start + limit];
      const page: Wire<ApiObjectPage> = {
        results: slice.map((r) => wire(type, r, list("properties"), list("associations") ?? [])),
        ...(following
          ? { paging: { next: { after: following.id, link: `${url.pathname}?after=${following.id}` } } }
          : {}),
      };
      return send(200, page);
    }

    // POST /crm/v3/objects/{type}/batch/read: current, not the search index.
    if (method === "POST" && parts[4] === "batch" && parts[5] === "read") {
      const request = body as { inputs: Array<{ id: string }>; properties?: string[] };
      const batch: Wire<ApiBatchRead> = {
        status: "COMPLETE",
        startedAt: iso(Date.now()),
        completedAt: iso(Date.now()),
        results: request.inputs
          .map((i) => records.get(i.id))
          .filter((r): r is FakeRecord => r !== undefined && r.archivedAt === undefined)
          .map((r) => {
            const { associations: _, ...rest } = wire(type, r, request.properties, []);
            return rest;
          }),
      };
      return send(200, batch);
    }

    if ((method === "POST" && parts.length === 4) || (method === "PATCH" && parts.length === 5)) {
      const refusal = refusals.find((r) => r.match.test(text));
      if (refusal) {
        return send(400, {
          ...error("VALIDATION_ERROR", refusal.message),
          errors: [{ message: refusal.message, code: "INVALID_OPTION" }],
        });
      }
      const input = body as {
        properties: Record<string, string>;
        associations?: Array<{ to: { id: string }; types: Array<{ associationTypeId: number }> }>;
      };
      const conflict = uniqueConflict(
        type,
        input.properties,
        method === "PATCH" ? (parts[4] as string) : undefined,
      );
      if (conflict) return send(409, conflict);
      let record: FakeRecord;
      if (method === "PATCH") {
        const existing = records.get(parts[4] as string);
        if (!existing || existing.archivedAt !== undefined) {
          return send(404, error("OBJECT_NOT_FOUND", "resource not found"));
        }
        record = fake.update(type, existing.id, input.properties);
      } else {
        const linked: FakeRecord["associations"] = {};
        for (const a of input.associations ?? []) {
          const to = fake.objects.get("deals")?.has(a.to.id) ? "deals" : "companies";
          linked[to] = [...(linked[to] ?? []), { id: a.to.id }];
        }
        record = fake.add(type, input.properties, linked);
        // HubSpot lists an association from both ends.
        for (const [to, list] of Object.entries(linked)) {
          for (const { id } of list) {
            const target = table(to).get(id);
            if (target) target.associations[type] = [...(target.associations[type] ?? []), { id: record.id }];
          }
        }
      }
      fake.applied++;
      const answer = () =>
        send(method === "POST" ? 201 : 200, wire(type, record, Object.keys(input.properties), []));
      if (slowNextWrite > 0) {
        const delay = slowNextWrite;
        slowNextWrite = 0;
        setTimeout(() => {
          if (!res.destroyed) answer();
        }, delay).unref();
        return;
      }
      return answer();
    }

    if (method === "GET" && parts.length === 5) {
      const idProperty = q.get("idProperty");
      if (idProperty && !fake.properties.get(type)?.get(idProperty)?.hasUniqueValue) {
        return send(
          400,
          error("VALIDATION_ERROR", `${idProperty} is not a unique identifier property of ${type}.`),
        );
      }
      const record = idProperty
        ? holderOf(type, idProperty, parts[4] as string)
        : records.get(parts[4] as string);
      if (!record || record.archivedAt !== undefined) {
        return send(404, error("OBJECT_NOT_FOUND", `resource not found`));
      }
      return send(200, wire(type, record, list("properties"), list("associations") ?? []));
    }

    if (method === "POST" && parts[4] === "search") {
      const request = body as {
        filterGroups?: Array<{ filters: Array<{ propertyName: string; operator: string; value?: string }> }>;
        sorts?: Array<{ propertyName: string; direction?: string } | string>;
        properties?: string[];
        limit?: number;
        after?: string;
      };
      const limit = Math.min(request.limit ?? 10, 200);
      const after = Number(request.after ?? 0);
      for (const [record, due] of unindexed) if (due <= Date.now()) index(record);
      if (after >= fake.searchWindow) {
        return send(
          400,
          error("VALIDATION_ERROR", `Paging past ${fake.searchWindow} results is not supported.`),
        );
      }
      // Search answers from the index: what it last saw of each record.
      const value = (r: FakeRecord, name: string) => r.indexed?.[name] ?? null;
      const matches = (r: FakeRecord) =>
        r.archivedAt === undefined &&
        r.indexed !== undefined &&
        (request.filterGroups ?? []).every((g) =>
          g.filters.every((f) => {
            const v = value(r, f.propertyName);
            if (f.operator === "EQ") return v === f.value;
            if (f.operator === "GTE") {
              const left = Date.parse(v ?? "");
              const right = /^\d+$/.test(f.value ?? "") ? Number(f.value) : Date.parse(f.value ?? "");
              return !Number.isNaN(left) && left >= right;
            }
            throw new Error(`fake: operator ${f.operator} not served`);
          }),
        );
      const sort = request.sorts?.[0];
      const sortBy = typeof sort === "string" ? sort : sort?.propertyName;
      const sorted = [...records.values()].filter(matches).sort((a, b) => {
        if (!sortBy) return Number(a.id) - Number(b.id);
        const d = Date.parse(value(a, sortBy) ?? "") - Date.parse(value(b, sortBy) ?? "");
        return (
          (typeof sort === "object" && sort.direction === "DESCENDING" ? -d : d) ||
          Number(a.id) - Number(b.id)
        );
      });
      const slice = sorted.slice(after, after + limit);
      const page: Wire<ApiSearchPage> = {
        total: sorted.length,
        results: slice.map((r) => {
          const seen = { ...r, properties: r.indexed ?? {} };
          const { associations: _, ...rest } = wire(type, seen, request.properties, []);
          return rest;
        }),
        ...(after + limit < sorted.length ? { paging: { next: { after: String(after + limit) } } } : {}),
      };
      return send(200, page);
    }

    return send(404, error("OBJECT_NOT_FOUND", `No route for ${line}`));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          status: "error",
          message: String(e),
          correlationId: "fake",
          category: "INTERNAL_ERROR",
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** Object types HubSpot offers unique-value properties on: contacts, companies, deals, tickets, custom objects. */
const UNIQUE_VALUE_OBJECTS = /^(contacts|companies|deals|tickets|2-\d+|p_\w+)$/;

function singular(type: string): string {
  return type === "companies" ? "company" : type.replace(/s$/, "");
}

import { type PushResult, SyncError } from "@toolpacks/pack-kit";
import type { HubSpot } from "./client.js";
import { errorBodyOf, isHubSpotHttpError, reasonOf } from "./errors.js";
import type { ApiCreateInput } from "./shapes.js";

/**
 * The property each record the pack creates in HubSpot carries the runtime's idempotency key in.
 * HubSpot has no Idempotency-Key header, so the key travels as a property value and a retry
 * finds the first attempt's record by it (see `createOnce`).
 */
export const IDEMPOTENCY_PROPERTY = "toolpacks_idempotency_key";

/**
 * Object types on which HubSpot lets a property require unique values (contacts, companies,
 * deals, tickets and custom objects, `2-…` / `p_…`). Activities (notes, calls, meetings, emails,
 * tasks) are not among them.
 */
export function takesUniqueValues(object: string): boolean {
  return ["contacts", "companies", "deals", "tickets"].includes(object) || /^(2-\d+|p_\w+)$/.test(object);
}

/** The record a create is associated with, whose association list is read back on a retry. */
export interface CreateAnchor {
  /** `deals`, `companies` … */
  object: string;
  id: string;
}

/**
 * How a retry finds an earlier attempt's record, decided by the portal's property definition:
 * - `unique`: the property requires unique values, so HubSpot itself refuses a second record
 *   with the key (409), and the record is read by the key (`idProperty`), which is not the
 *   search index;
 * - `anchored`: the record is found among the anchor's associated records of its type, read
 *   through the associations API and a batch read by id, neither of which is the search index.
 */
type KeyMode = "unique" | "anchored";

/** Per client and object type, so a long-lived server reads each definition once. */
const modes = new WeakMap<HubSpot, Map<string, Promise<KeyMode>>>();

/** Associated ids read per page, and records read per batch (HubSpot's limits: 500 and 100). */
const ASSOCIATION_PAGE = 500;
const BATCH_READ = 100;

const isStatus = (error: unknown, status: number) => error instanceof SyncError && error.status === status;

function setupFix(object: string): string {
  return takesUniqueValues(object)
    ? `create the ${object} property "${IDEMPOTENCY_PROPERTY}" (Settings > Properties > ${object} > Create property: single-line text, internal name ${IDEMPOTENCY_PROPERTY}, Rules: "Require unique values for this property")`
    : `create the ${object} property "${IDEMPOTENCY_PROPERTY}" (Settings > Properties > Activity properties or the Properties API: single-line text, internal name ${IDEMPOTENCY_PROPERTY}; HubSpot offers no unique values on activities)`;
}

async function readMode(hubspot: HubSpot, object: string): Promise<KeyMode> {
  try {
    const property = await hubspot.call(`reading the ${object} property ${IDEMPOTENCY_PROPERTY}`, (c) =>
      c.crm.properties.coreApi.getByName(object, IDEMPOTENCY_PROPERTY),
    );
    return property.hasUniqueValue === true ? "unique" : "anchored";
  } catch (error) {
    if (!isStatus(error, 404)) throw error;
    throw new SyncError(
      "idempotency_property_missing",
      `HubSpot has no ${object} property ${IDEMPOTENCY_PROPERTY}, which carries the runtime's idempotency key so a retried write is applied once; nothing was written. Fix: ${setupFix(object)}, then retry the call with the same idempotency key.`,
      { status: 404, cause: error },
    );
  }
}

function modeOf(hubspot: HubSpot, object: string): Promise<KeyMode> {
  let perObject = modes.get(hubspot);
  if (!perObject) {
    perObject = new Map();
    modes.set(hubspot, perObject);
  }
  let mode = perObject.get(object);
  if (!mode) {
    mode = readMode(hubspot, object);
    perObject.set(object, mode);
    // A failed read (missing property, outage) is asked again on the next write.
    mode.catch(() => perObject.delete(object));
  }
  return mode;
}

/** The record holding `key` in a property with unique values, read by the key itself. */
async function findByUniqueKey(hubspot: HubSpot, object: string, key: string): Promise<string | undefined> {
  try {
    const found = await hubspot.call(`reading ${object} by idempotency key`, (c) =>
      c.crm.objects.basicApi.getById(
        object,
        key,
        [IDEMPOTENCY_PROPERTY],
        undefined,
        undefined,
        false,
        IDEMPOTENCY_PROPERTY,
      ),
    );
    return found.properties[IDEMPOTENCY_PROPERTY] === key ? found.id : undefined;
  } catch (error) {
    if (isStatus(error, 404)) return undefined;
    throw error;
  }
}

/** The record of type `object` associated with `anchor` that holds `key`, if any. */
async function findByAnchor(
  hubspot: HubSpot,
  object: string,
  key: string,
  anchor: CreateAnchor,
): Promise<string | undefined> {
  let after: string | undefined;
  do {
    const current = after;
    const page = await hubspot.call(`listing the ${object} of ${anchor.object} ${anchor.id}`, (c) =>
      c.crm.associations.v4.basicApi.getPage(anchor.object, anchor.id, object, current, ASSOCIATION_PAGE),
    );
    const ids = page.results.map((r) => String(r.toObjectId));
    for (let i = 0; i < ids.length; i += BATCH_READ) {
      const inputs = ids.slice(i, i + BATCH_READ).map((id) => ({ id }));
      const batch = await hubspot.call(`reading ${object} by id`, (c) =>
        c.crm.objects.batchApi.read(
          object,
          { inputs, properties: [IDEMPOTENCY_PROPERTY], propertiesWithHistory: [] },
          false,
        ),
      );
      const hit = batch.results.find((r) => r.properties[IDEMPOTENCY_PROPERTY] === key);
      if (hit) return hit.id;
    }
    after = page.paging?.next?.after;
  } while (after);
  return undefined;
}

/**
 * Creates a HubSpot record of type `object` carrying `key` in `IDEMPOTENCY_PROPERTY`, at most
 * once per key, without relying on the search index (which lags writes by seconds, so a retry
 * right after a lost answer would not see the first record there):
 * - the portal must define `IDEMPOTENCY_PROPERTY` on `object`, else `idempotency_property_missing`
 *   before any write, naming what to create;
 * - with "unique values" on it, the create is sent and HubSpot's 409 for the key is the earlier
 *   record, read by the key and answered as `replayed`;
 * - without (activities cannot have them), the records of that type associated with `anchor`
 *   (which `input` must associate the new record with) are read first, and one holding the key is
 *   answered as `replayed`.
 * A 409 that is not about this key (another unique property, a record of someone else) is
 * `source_conflict` with HubSpot's reason: nothing was created. Limit: in `anchored` mode two
 * attempts with one key running at the same moment can both create (HubSpot has no constraint to
 * stop them); retries one after another cannot.
 */
export async function createOnce(
  hubspot: HubSpot,
  object: string,
  key: string,
  input: ApiCreateInput,
  anchor: CreateAnchor,
): Promise<PushResult> {
  const mode = await modeOf(hubspot, object);
  const find = () =>
    mode === "unique" ? findByUniqueKey(hubspot, object, key) : findByAnchor(hubspot, object, key, anchor);
  if (mode === "anchored") {
    const existing = await find();
    if (existing) return { sourceId: existing, replayed: true };
  }
  try {
    const created = await hubspot.call(
      `creating ${object}`,
      (c) =>
        c.crm.objects.basicApi.create(object, {
          ...input,
          properties: { ...input.properties, [IDEMPOTENCY_PROPERTY]: key },
        }),
      false,
    );
    return { sourceId: created.id, replayed: false };
  } catch (error) {
    if (!isStatus(error, 409)) throw error;
    const existing = await find();
    if (existing) return { sourceId: existing, replayed: true };
    const cause = (error as SyncError).cause;
    const reason = isHubSpotHttpError(cause) ? reasonOf(cause) : (error as Error).message;
    const names = isHubSpotHttpError(cause)
      ? (errorBodyOf(cause).errors ?? []).map((e) => (e as { in?: string }).in).filter(Boolean)
      : [];
    throw new SyncError(
      "source_conflict",
      `HubSpot refused creating ${object}: ${reason}. The conflicting record is not one an earlier attempt of this call created (none holds idempotency key ${key}), so nothing was created. Fix: ${names.length > 0 ? `change the value of ${names.join(", ")}, or ` : ""}update the existing record in HubSpot instead.`,
      { status: 409, cause: error },
    );
  }
}

import { type PushResult, type SourceWrite, SyncError } from "@toolpacks/pack-kit";
import { slug } from "../../shared.js";
import type { HubSpot } from "./client.js";
import { createOnce } from "./create-once.js";
import { type MappingContext, ownerName, packStage, stagesOf } from "./rows.js";
import type { ApiCreateInput } from "./shapes.js";

export { IDEMPOTENCY_PROPERTY } from "./create-once.js";

/** log_activity's kinds -> HubSpot engagement objects, their title property and deal association type. */
const ENGAGEMENTS = {
  note: { object: "notes", title: "hs_note_body", toDeal: 214 },
  call: { object: "calls", title: "hs_call_title", toDeal: 206 },
  meeting: { object: "meetings", title: "hs_meeting_title", toDeal: 212 },
  email: { object: "emails", title: "hs_email_subject", toDeal: 210 },
} as const;
/** HubSpot-defined association types of a task to a deal and to a company. */
const TASK_TO_DEAL = 216;
const TASK_TO_COMPANY = 192;

/** The HubSpot record id in a pack id the sync (or a HubSpot import) wrote: `hs:D-123` -> `123`. */
function hubspotId(packId: unknown, kind: "D" | "C", what: string): string {
  const match = /^hs:([A-Z])-(\d+)$/.exec(String(packId));
  if (!match || match[1] !== kind) {
    throw new SyncError(
      "unsupported_write",
      `${what} ${String(packId)} did not come from HubSpot, and this store is kept in sync with HubSpot, so nothing was written. Fix: make the change in HubSpot; the next sync brings it in.`,
    );
  }
  return match[2] as string;
}

/**
 * Applies one CRM write in HubSpot, so a retried call (after a timeout, a lost answer, a crash
 * before the store recorded it) is applied once:
 * - `move_deal_stage` -> the deal's `dealstage` set to the first stage (by display order) of
 *   the deal's own pipeline that maps to the target stage, with `closedate` when closing and
 *   `closed_lost_reason` when lost; a deal already in that stage is not written again;
 * - `log_activity` -> a note, call, meeting or email associated with the deal;
 * - `create_follow_up_task` -> a task associated with the deal (or company), assigned to the
 *   HubSpot owner of the same name when there is one.
 * Each create carries `key` in `toolpacks_idempotency_key` and goes through `createOnce`, which
 * finds an earlier attempt's record without the (lagging) search index and answers that one
 * (`replayed`) instead of creating another. HubSpot's refusal is `source_refused` with
 * its message, category and correlationId; a timeout is `source_unavailable` and asks for a
 * retry with the same key. Any other tool is `unsupported_write`, before any call.
 */
export async function pushToHubSpot(hubspot: HubSpot, write: SourceWrite, key: string): Promise<PushResult> {
  const args = write.args;
  try {
    if (write.tool === "move_deal_stage") return await moveStage(hubspot, write);
    if (write.tool === "log_activity") {
      const kind = ENGAGEMENTS[String(args["kind"]) as keyof typeof ENGAGEMENTS];
      if (!kind)
        throw new SyncError(
          "unsupported_write",
          `log_activity kind ${String(args["kind"])} has no HubSpot engagement.`,
        );
      const deal = hubspotId(args["deal_id"], "D", "Deal");
      const at = String(write.result["occurred_at"]);
      const properties: Record<string, string> = {
        hs_timestamp: at,
        [kind.title]: String(args["subject"]),
        ...(kind.object === "meetings" ? { hs_meeting_start_time: at, hs_meeting_end_time: at } : {}),
        ...(kind.object === "emails" ? { hs_email_direction: "EMAIL" } : {}),
        ...(await ownerProperty(hubspot, write.result["owner_id"])),
      };
      return await createOnce(
        hubspot,
        kind.object,
        key,
        { properties, associations: [association(deal, kind.toDeal)] },
        { object: "deals", id: deal },
      );
    }
    if (write.tool === "create_follow_up_task") {
      const dealId = write.result["deal_id"];
      const anchor =
        dealId === null || dealId === undefined
          ? { object: "companies", id: hubspotId(write.result["account_id"], "C", "Account") }
          : { object: "deals", id: hubspotId(dealId, "D", "Deal") };
      return await createOnce(
        hubspot,
        "tasks",
        key,
        {
          properties: {
            hs_task_subject: String(args["title"]),
            hs_timestamp: `${String(args["due_on"])}T00:00:00.000Z`,
            hs_task_status: "NOT_STARTED",
            ...(await ownerProperty(hubspot, write.result["owner_id"])),
          },
          associations: [association(anchor.id, anchor.object === "deals" ? TASK_TO_DEAL : TASK_TO_COMPANY)],
        },
        anchor,
      );
    }
  } catch (error) {
    if (error instanceof SyncError && error.code === "source_unavailable") {
      throw new SyncError(
        "source_unavailable",
        `${error.message} HubSpot may or may not have applied ${write.tool}; retry the call with the same idempotency key: the retry finds the record by its key (not through HubSpot's search index, so even seconds later) and does not create a second.`,
        { ...(error.status === undefined ? {} : { status: error.status }), cause: error },
      );
    }
    throw error;
  }
  throw new SyncError(
    "unsupported_write",
    `${write.tool} has no HubSpot equivalent the CRM pack writes back, and this store is kept in sync with HubSpot, so nothing was written. Fix: make the change in HubSpot; the next sync brings it in.`,
  );
}

const association = (id: string, typeId: number): NonNullable<ApiCreateInput["associations"]>[number] => ({
  to: { id },
  types: [{ associationCategory: "HUBSPOT_DEFINED" as never, associationTypeId: typeId }],
});

/** `hubspot_owner_id` of the HubSpot owner whose name is the pack owner's, when there is one. */
async function ownerProperty(hubspot: HubSpot, ownerId: unknown): Promise<Record<string, string>> {
  const wanted = /^hs:U-(.+)$/.exec(String(ownerId))?.[1];
  if (!wanted) return {};
  let after: string | undefined;
  do {
    const current = after;
    const page = await hubspot.call("listing owners", (c) =>
      c.crm.owners.ownersApi.getPage(undefined, current, 100, false),
    );
    const owner = page.results.find((o) => slug(ownerName(o)) === wanted);
    if (owner) return { hubspot_owner_id: owner.id };
    after = page.paging?.next?.after;
  } while (after);
  return {};
}

async function moveStage(hubspot: HubSpot, write: SourceWrite): Promise<PushResult> {
  const id = hubspotId(write.args["deal_id"], "D", "Deal");
  const target = String(write.args["to_stage"]);
  const deal = await hubspot.call(`reading deal ${id}`, (c) =>
    c.crm.objects.basicApi.getById("deals", id, ["dealstage", "pipeline"]),
  );
  const pipelineId = deal.properties["pipeline"] ?? "default";
  const pipelines = await hubspot.call("reading deal pipelines", (c) =>
    c.crm.pipelines.pipelinesApi.getAll("deals"),
  );
  const pipeline = pipelines.results.find((p) => p.id === pipelineId);
  const context: MappingContext = { owners: new Map(), stages: stagesOf(pipelines.results) };
  const stages = [...(pipeline?.stages ?? [])].sort((a, b) => a.displayOrder - b.displayOrder);
  const mapsTo = (stageId: string) => {
    try {
      return packStage(stageId, pipelineId, context);
    } catch {
      return undefined;
    }
  };
  const stage = stages.find((s) => !s.archived && mapsTo(s.id) === target);
  if (!stage) {
    throw new SyncError(
      "unsupported_write",
      `Deal ${id}'s HubSpot pipeline ${pipeline?.label ?? pipelineId} has no stage the CRM reads as ${target} (its stages: ${stages.map((s) => s.label).join(", ") || "none"}), so nothing was written. Fix: move the deal in HubSpot, or add such a stage.`,
    );
  }
  // Already there (an earlier attempt applied it): nothing to write again.
  if (deal.properties["dealstage"] === stage.id) return { sourceId: id, replayed: true };
  const closing = target === "closed_won" || target === "closed_lost";
  const lost = write.args["lost_reason"];
  await hubspot.call(`moving deal ${id} to ${stage.label}`, (c) =>
    c.crm.objects.basicApi.update("deals", id, {
      properties: {
        dealstage: stage.id,
        ...(closing ? { closedate: `${String(write.result["close_date"])}T00:00:00.000Z` } : {}),
        ...(target === "closed_lost" && typeof lost === "string" ? { closed_lost_reason: lost } : {}),
      },
    }),
  );
  return { sourceId: id, replayed: false };
}

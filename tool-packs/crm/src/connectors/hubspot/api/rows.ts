import { CellError, type DomainRow, type RejectedRow } from "@toolpacks/pack-kit";
import {
  CrmRowSet,
  countryCode,
  crmAmount,
  crmCurrency,
  crmDate,
  crmTimestamp,
  dealStages,
  employeeCount,
  segmentOf,
  slug,
} from "../../shared.js";
import type { ApiObject, ApiOwner, ApiPipeline } from "./shapes.js";

/*
 * HubSpot API objects -> CRM rows with the meaning and ids of the HubSpot export connector
 * (`hs:D-<deal id>`, `hs:C-<company id>`, `hs:L-<line item id>`, owners by name), so a store
 * first filled from exports and then kept in sync is one model. A record that cannot be read is
 * a rejection naming the object and property, never a thrown error.
 */

/** What mapping one page of objects gave. */
export interface Mapped {
  rows: DomainRow[];
  rejected: RejectedRow[];
}

/** What mapping needs besides the object: owners by HubSpot id, and deal pipelines' stages. */
export interface MappingContext {
  /** HubSpot owner id -> the owner's display name (as exports show it). */
  owners: ReadonlyMap<string, string>;
  /** `pipeline id/stage id` -> the stage as HubSpot describes it. */
  stages: ReadonlyMap<string, StageInfo>;
}

/** A deal stage as its pipeline describes it. */
export interface StageInfo {
  label: string;
  /** `metadata.isClosed === "true"`. */
  closed: boolean;
  /** `metadata.probability` as a number from 0 to 1, when set. */
  probability: number | undefined;
}

const origin = (object: string, id: string) => ({ file: `hubspot ${object} ${id}`, line: 0 });

/** Reads `objects` with `read` into one set of rows, rejecting the ones that fail (per object). */
export function mapObjects(
  kind: string,
  objects: readonly ApiObject[],
  read: (set: CrmRowSet, o: ApiObject, at: (property: string, fn: () => unknown) => void) => void,
): Mapped {
  const set = new CrmRowSet("hs");
  const rejected: RejectedRow[] = [];
  for (const object of objects) {
    let property: string | undefined;
    const before = set.rows.length;
    try {
      read(set, object, (p, fn) => {
        property = p;
        fn();
        property = undefined;
      });
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      set.rows.splice(before);
      rejected.push({
        ...origin(kind, object.id),
        ...(property ? { column: property } : {}),
        reason: error.message,
      });
    }
  }
  return { rows: set.rows, rejected };
}

/** An owner's display name: "First Last", else the email, else its id. */
export function ownerName(owner: Pick<ApiOwner, "id" | "firstName" | "lastName" | "email">): string {
  const name = `${owner.firstName ?? ""} ${owner.lastName ?? ""}`.trim();
  return name || owner.email || `HubSpot owner ${owner.id}`;
}

/** Owners -> `crm_owners` rows (team: the owner's primary team). */
export function ownerRows(owners: readonly ApiOwner[]): Mapped {
  const rows: DomainRow[] = [];
  const seen = new Set<string>();
  for (const owner of owners) {
    const name = ownerName(owner);
    const id = `hs:U-${slug(name)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const team = owner.teams?.find((t) => t.primary)?.name ?? owner.teams?.[0]?.name ?? "unassigned";
    rows.push({
      table: "crm_owners",
      sourceId: `owner:${slug(name)}`,
      origin: origin("owner", owner.id),
      values: { id, name, team },
    });
  }
  return { rows, rejected: [] };
}

/** Stages of every deal pipeline, keyed `pipeline/stage`. */
export function stagesOf(pipelines: readonly ApiPipeline[]): Map<string, StageInfo> {
  const stages = new Map<string, StageInfo>();
  for (const pipeline of pipelines) {
    for (const stage of pipeline.stages) {
      const probability = Number(stage.metadata?.["probability"]);
      stages.set(`${pipeline.id}/${stage.id}`, {
        label: stage.label,
        closed: stage.metadata?.["isClosed"] === "true",
        probability: Number.isFinite(probability) ? probability : undefined,
      });
    }
  }
  return stages;
}

/**
 * A deal stage id -> the pack's stage: HubSpot's default stage ids and labels first (the export
 * connector's vocabulary), then a closed stage by its probability (1 won, 0 lost). Anything else
 * is `unknown_value` listing the known stages.
 */
export function packStage(stageId: string, pipeline: string, context: MappingContext): string {
  const info = context.stages.get(`${pipeline}/${stageId}`);
  try {
    return dealStages.map(stageId, "hubspot");
  } catch (error) {
    if (!info) throw error;
  }
  try {
    return dealStages.map(info.label, "hubspot");
  } catch (error) {
    if (info.closed && info.probability === 1) return "closed_won";
    if (info.closed && info.probability === 0) return "closed_lost";
    throw error;
  }
}

const prop = (o: ApiObject, name: string) => (o.properties[name] ?? "").trim();

function ownerOf(set: CrmRowSet, o: ApiObject, context: MappingContext): string {
  const id = prop(o, "hubspot_owner_id");
  const name = id === "" ? "" : (context.owners.get(id) ?? `HubSpot owner ${id}`);
  return set.owner(name, origin("owner", id || "none"));
}

/** The primary associated record of `type` (typeId label "Primary" first), else the first. */
export function primaryAssociation(o: ApiObject, type: string): string | undefined {
  const results = o.associations?.[type]?.results ?? [];
  const primary = results.find((r) => /primary/i.test(r.type));
  return (primary ?? results[0])?.id;
}

/** Companies -> `crm_accounts` rows. */
export function companyRows(objects: readonly ApiObject[], context: MappingContext): Mapped {
  return mapObjects("company", objects, (set, o, at) => {
    let employees: number | undefined;
    at("numberofemployees", () => {
      employees = employeeCount(prop(o, "numberofemployees"));
    });
    const created = crmDate(prop(o, "createdate")) ?? o.createdAt.toISOString().slice(0, 10);
    set.account(
      {
        id: set.id("C", o.id),
        name: prop(o, "name") || `HubSpot company ${o.id}`,
        domain: prop(o, "domain") || null,
        industry: prop(o, "industry").toLowerCase() || "unknown",
        country: countryCode(prop(o, "country")),
        currency: crmCurrency(prop(o, "hs_currency") || undefined, undefined),
        segment: segmentOf(employees),
        employees: employees ?? 0,
        owner_id: ownerOf(set, o, context),
        created_on: created,
      },
      o.id,
      origin("company", o.id),
      { stub: false, columns: { name: "name", owner_id: "hubspot_owner_id" } },
    );
  });
}

/** Contacts -> `crm_contacts` rows, each under its primary company (else "(no company)"). */
export function contactRows(objects: readonly ApiObject[]): Mapped {
  return mapObjects("contact", objects, (set, o) => {
    const company = prop(o, "associatedcompanyid") || undefined;
    const accountId = set.id("C", company ?? "none");
    // The company is usually synced already; the placeholder only fills a gap and never overwrites it.
    set.account(
      {
        id: accountId,
        name: company ? `HubSpot company ${company}` : "(no company)",
        industry: "unknown",
        country: "unknown",
        currency: "USD",
        segment: "unknown",
        employees: 0,
        owner_id: set.owner("", origin("contact", o.id)),
        created_on: o.createdAt.toISOString().slice(0, 10),
      },
      company ?? "none",
      origin("contact", o.id),
      { stub: true },
    );
    set.add({
      table: "crm_contacts",
      sourceId: o.id,
      origin: origin("contact", o.id),
      values: {
        id: set.id("P", o.id),
        account_id: accountId,
        name:
          `${prop(o, "firstname")} ${prop(o, "lastname")}`.trim() ||
          prop(o, "email") ||
          `HubSpot contact ${o.id}`,
        title: prop(o, "jobtitle"),
        email: prop(o, "email"),
      },
    });
  });
}

/** Deals (with their company associations) -> `crm_deals` rows and placeholder companies. */
export function dealRows(objects: readonly ApiObject[], context: MappingContext): Mapped {
  return mapObjects("deal", objects, (set, o, at) => {
    let stage = "";
    at("dealstage", () => {
      stage = packStage(prop(o, "dealstage"), prop(o, "pipeline"), context);
    });
    let currency = "USD";
    at("deal_currency_code", () => {
      currency = crmCurrency(prop(o, "deal_currency_code") || undefined, undefined);
    });
    let amount = 0;
    at("amount", () => {
      amount = crmAmount(prop(o, "amount"), currency);
    });
    let closeDate = "";
    at("closedate", () => {
      const date = crmDate(prop(o, "closedate"));
      if (date === undefined) {
        throw new CellError("missing_date", "closedate is blank; every deal needs one to fall in a period.");
      }
      closeDate = date;
    });
    const company = primaryAssociation(o, "companies");
    set.deal(
      {
        sourceId: o.id,
        name: prop(o, "dealname") || `HubSpot deal ${o.id}`,
        stage,
        amount,
        currency,
        closeDate,
        created: crmDate(prop(o, "createdate")) ?? o.createdAt.toISOString().slice(0, 10),
        stageChanged: crmDate(prop(o, "hs_v2_date_entered_current_stage")),
        lastActivity: crmTimestamp(prop(o, "notes_last_updated")),
        lostReason: prop(o, "closed_lost_reason"),
        ownerId: ownerOf(set, o, context),
        account: {
          sourceId: company ?? "none",
          name: company ? `HubSpot company ${company}` : "(no company)",
        },
      },
      origin("deal", o.id),
      { name: "dealname", account_id: "associations.companies", owner_id: "hubspot_owner_id" },
    );
  });
}

/**
 * Line items associated with a deal -> `crm_deal_lines`; `lineNo` numbers a deal's lines (its
 * position on the quote when HubSpot has one). A line item on no deal is rejected, as in imports.
 */
export function lineItemRows(
  objects: readonly ApiObject[],
  lineNo: (dealId: string, o: ApiObject) => number,
): Mapped {
  return mapObjects("line_item", objects, (set, o, at) => {
    let dealSource = "";
    at("associations.deals", () => {
      const id = primaryAssociation(o, "deals");
      if (!id) {
        throw new CellError(
          "missing_deal",
          "the line item is associated with no deal; only deal line items are synced.",
        );
      }
      dealSource = id;
    });
    let currency = "USD";
    at("hs_line_item_currency_code", () => {
      currency = crmCurrency(prop(o, "hs_line_item_currency_code") || undefined, undefined);
    });
    let quantity = 0;
    at("quantity", () => {
      const q = prop(o, "quantity");
      if (!/^\d+(\.0+)?$/.test(q)) {
        throw new CellError(
          "invalid_quantity",
          `quantity ${JSON.stringify(q.slice(0, 20))} is not a whole number of units.`,
        );
      }
      quantity = Number.parseInt(q, 10);
    });
    let unit = 0;
    at("price", () => {
      unit = crmAmount(prop(o, "price"), currency);
    });
    let discount = 0;
    at("hs_discount_percentage", () => {
      const d = prop(o, "hs_discount_percentage");
      if (d === "") return;
      if (!/^\d+(\.\d+)?$/.test(d) || Number(d) > 100) {
        throw new CellError(
          "invalid_discount",
          `discount ${JSON.stringify(d.slice(0, 20))} is not a percentage from 0 to 100.`,
        );
      }
      discount = Math.round(Number(d));
    });
    let amount = 0;
    at("amount", () => {
      amount =
        prop(o, "amount") === ""
          ? Math.round((quantity * unit * (100 - discount)) / 100)
          : crmAmount(prop(o, "amount"), currency);
    });
    const dealId = set.id("D", dealSource);
    set.add({
      table: "crm_deal_lines",
      sourceId: o.id,
      origin: origin("line_item", o.id),
      values: {
        id: set.id("L", o.id),
        deal_id: dealId,
        line_no: lineNo(dealId, o),
        sku: prop(o, "hs_sku") || prop(o, "name") || "unknown",
        quantity,
        unit_price_minor: unit,
        discount_pct: discount,
        amount_minor: amount,
        currency,
      },
      columns: { deal_id: "associations.deals" },
    });
  });
}

/**
 * HubSpot CRM v3 deal objects as the search endpoint (`POST /crm/v3/objects/deals/search`) returns
 * them, built from the world's CRM deals: `{ id, properties, createdAt, updatedAt, archived }`, with
 * the properties asked for plus the three HubSpot always adds (`createdate`, `hs_lastmodifieddate`,
 * `hs_object_id`). Property values are strings, as the API sends them.
 */
import type { CrmDeal, DealStage } from "@toolpacks/world";
import { decimal, isoMillis, numericId } from "./ids.js";

/** Largest page of the search endpoint (`limit` up to 200). */
export const HUBSPOT_SEARCH_PAGE = 200;

/** Top-level keys of a deal in a search result. */
export const HUBSPOT_DEAL_KEYS = ["archived", "createdAt", "id", "properties", "updatedAt"] as const;

/**
 * The properties a pipeline-by-stage question has to ask for (name, stage, amount, currency and
 * the stage's probability for the weighted amount), plus those HubSpot returns unasked.
 */
export const HUBSPOT_PIPELINE_PROPERTIES = [
  "amount",
  "amount_in_home_currency",
  "closedate",
  "createdate",
  "deal_currency_code",
  "dealname",
  "dealstage",
  "hs_deal_stage_probability",
  "hs_lastmodifieddate",
  "hs_object_id",
  "hubspot_owner_id",
  "pipeline",
] as const;

/** Internal ids of the stages of HubSpot's default sales pipeline, for the world's stages. */
export const HUBSPOT_STAGE: Readonly<Record<DealStage, string>> = {
  prospecting: "appointmentscheduled",
  qualification: "qualifiedtobuy",
  proposal: "presentationscheduled",
  negotiation: "contractsent",
  closed_won: "closedwon",
  closed_lost: "closedlost",
};

const PROBABILITY: Readonly<Record<DealStage, string>> = {
  prospecting: "0.1",
  qualification: "0.25",
  proposal: "0.5",
  negotiation: "0.75",
  closed_won: "1",
  closed_lost: "0",
};

/** One deal as a search result lists it. */
export function hubspotDeal(deal: CrmDeal) {
  const id = String(numericId(`deal:${deal.id}`, 11));
  const created = isoMillis(deal.created_on, deal.id);
  const updated = isoMillis(deal.last_activity_at?.slice(0, 10) ?? deal.stage_changed_on, `u:${deal.id}`);
  const properties: Record<(typeof HUBSPOT_PIPELINE_PROPERTIES)[number], string | null> = {
    amount: decimal(deal.amount_minor),
    amount_in_home_currency: decimal(deal.amount_usd_minor),
    closedate: `${deal.close_date}T00:00:00Z`,
    createdate: created,
    deal_currency_code: deal.currency,
    dealname: deal.name,
    dealstage: HUBSPOT_STAGE[deal.stage],
    hs_deal_stage_probability: PROBABILITY[deal.stage],
    hs_lastmodifieddate: updated,
    hs_object_id: id,
    hubspot_owner_id: String(numericId(`owner:${deal.owner_id}`, 9)),
    pipeline: "default",
  };
  return { id, properties, createdAt: created, updatedAt: updated, archived: false };
}

/** The pages of a search over `deals`, 200 a page, each `{ total, results, paging }` as the API returns it. */
export function hubspotSearchPages(deals: readonly ReturnType<typeof hubspotDeal>[]): unknown[] {
  const pages: unknown[] = [];
  for (let i = 0; i < deals.length; i += HUBSPOT_SEARCH_PAGE) {
    const next = i + HUBSPOT_SEARCH_PAGE;
    pages.push({
      total: deals.length,
      results: deals.slice(i, next),
      ...(next < deals.length ? { paging: { next: { after: String(next), link: `?after=${next}` } } } : {}),
    });
  }
  return pages;
}

// What the CRM's connectors share: the stage vocabulary of each system, and the rows every deal
// export implies (its owner, its company) so a deals file alone already answers.
import {
  CellError,
  type CsvTable,
  type DomainRow,
  defineVocabulary,
  type ImportMapping,
  parseDate,
  parseMoney,
  type RowOrigin,
  type SqlValue,
} from "@toolpacks/pack-kit";
import { CURRENCIES, DEAL_STAGES } from "@toolpacks/world";

/**
 * Deal stages by system. HubSpot's default sales pipeline: Appointment Scheduled (20%), Qualified
 * To Buy (40%), Presentation Scheduled (60%), Decision Maker Bought-In (80%), Contract Sent (90%),
 * Closed Won, Closed Lost, by label or internal name. Salesforce's default opportunity stages;
 * Pipedrive's default pipeline (open deals; won and lost come from the Status column).
 */
export const dealStages = defineVocabulary({
  name: "deal stage",
  values: DEAL_STAGES,
  systems: {
    hubspot: {
      "Appointment Scheduled": "prospecting",
      appointmentscheduled: "prospecting",
      "Qualified To Buy": "qualification",
      qualifiedtobuy: "qualification",
      "Presentation Scheduled": "proposal",
      presentationscheduled: "proposal",
      "Decision Maker Bought-In": "negotiation",
      decisionmakerboughtin: "negotiation",
      "Contract Sent": "negotiation",
      contractsent: "negotiation",
      "Closed Won": "closed_won",
      closedwon: "closed_won",
      "Closed Lost": "closed_lost",
      closedlost: "closed_lost",
    },
    salesforce: {
      Prospecting: "prospecting",
      Qualification: "qualification",
      "Needs Analysis": "qualification",
      "Value Proposition": "proposal",
      "Id. Decision Makers": "proposal",
      "Perception Analysis": "proposal",
      "Proposal/Price Quote": "proposal",
      "Negotiation/Review": "negotiation",
      "Closed Won": "closed_won",
      "Closed Lost": "closed_lost",
    },
    pipedrive: {
      "Lead In": "prospecting",
      Qualified: "qualification",
      "Contact Made": "qualification",
      "Needs Defined": "qualification",
      "Demo Scheduled": "proposal",
      "Proposal Made": "proposal",
      "Negotiations Started": "negotiation",
    },
  },
});

const WORLD_CURRENCIES: readonly string[] = CURRENCIES;

/**
 * The CRM reports across currencies in USD at the world's fixed rates, which cover USD, EUR and
 * GBP; an amount in another currency is refused rather than converted at a made-up rate.
 */
export function crmCurrency(text: string | undefined, mapping: ImportMapping | undefined): string {
  const code = (text ?? "").trim().toUpperCase() || mapping?.defaults["currency"]?.toUpperCase() || "USD";
  if (!WORLD_CURRENCIES.includes(code)) {
    throw new CellError(
      "unsupported_currency",
      `currency ${JSON.stringify(code.slice(0, 10))} is not one the CRM reports in (${WORLD_CURRENCIES.join(", ")}); convert those deals in the source or leave them out.`,
    );
  }
  return code;
}

/** An amount cell in minor units of `currency`; a blank amount is 0 (CRMs leave it blank until priced). */
export function crmAmount(text: string | undefined, currency: string): number {
  const raw = (text ?? "").trim();
  if (raw === "") return 0;
  const money = parseMoney(raw, { currency });
  return money.minor;
}

/** A date cell as `YYYY-MM-DD`, or undefined when blank. */
export function crmDate(text: string | undefined, order: "month" | "day" = "month"): string | undefined {
  const raw = (text ?? "").trim();
  return raw === "" ? undefined : parseDate(raw, { order }).date;
}

/** A timestamp cell as ISO 8601 UTC, or undefined when blank. */
export function crmTimestamp(text: string | undefined): string | undefined {
  const raw = (text ?? "").trim();
  if (raw === "") return undefined;
  const parsed = parseDate(raw);
  return parsed.timestamp ?? `${parsed.date}T00:00:00.000Z`;
}

const COUNTRIES: Readonly<Record<string, string>> = {
  "united states": "US",
  usa: "US",
  us: "US",
  "united states of america": "US",
  america: "US",
  "united kingdom": "GB",
  uk: "GB",
  "great britain": "GB",
  england: "GB",
  germany: "DE",
  deutschland: "DE",
  france: "FR",
  netherlands: "NL",
  "the netherlands": "NL",
  spain: "ES",
  italy: "IT",
  canada: "CA",
  australia: "AU",
  japan: "JP",
  india: "IN",
  brazil: "BR",
  mexico: "MX",
  sweden: "SE",
  switzerland: "CH",
  ireland: "IE",
  belgium: "BE",
  austria: "AT",
  denmark: "DK",
  norway: "NO",
  finland: "FI",
  poland: "PL",
  portugal: "PT",
  singapore: "SG",
};

/** An ISO 3166 alpha-2 code for a country cell (code or common English name), else the text as written. */
export function countryCode(text: string | undefined): string {
  const raw = (text ?? "").trim();
  if (raw === "") return "unknown";
  if (/^[A-Za-z]{2}$/.test(raw)) return raw.toUpperCase();
  return COUNTRIES[raw.toLowerCase()] ?? raw;
}

/** The world's size bands by employee count; "unknown" without a count. */
export function segmentOf(employees: number | undefined): string {
  if (employees === undefined) return "unknown";
  return employees < 200 ? "smb" : employees < 2000 ? "mid_market" : "enterprise";
}

/** A whole number of employees, or undefined when blank. */
export function employeeCount(text: string | undefined): number | undefined {
  const raw = (text ?? "").trim().replaceAll(/[,\s]/g, "");
  if (raw === "") return undefined;
  if (!/^\d+$/.test(raw))
    throw new CellError(
      "invalid_integer",
      `${JSON.stringify(raw.slice(0, 20))} is not a number of employees.`,
    );
  return Number(raw);
}

/** A short, stable id fragment of free text (for owners, and records without an id). */
export function slug(text: string): string {
  const base = text
    .normalize("NFKD")
    .replaceAll(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, "-")
    .replaceAll(/^-|-$/g, "")
    .slice(0, 32);
  return base || "x";
}

/** FNV-1a hash of text as 12 hex digits: ids for records an export gives no id (stable, short). */
export function shortHash(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, "0").slice(0, 12);
}

/**
 * Builds the CRM rows of one import from one system: every deal's owner and company exist
 * (stubs when the export only names them), ids are `<prefix>:<kind>-<source id>`.
 */
export class CrmRowSet {
  readonly rows: DomainRow[] = [];
  readonly #prefix: string;
  readonly #owners = new Set<string>();

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** The id of a record of `kind` (`D` deal, `C` company, `U` owner, `L` line, `P` contact person). */
  id(kind: "D" | "C" | "U" | "L" | "P", sourceId: string): string {
    return `${this.#prefix}:${kind}-${sourceId}`;
  }

  /** The owner id for an owner cell (a name or email), adding a stub owner row the first time. */
  owner(text: string | undefined, origin: RowOrigin): string {
    const name = (text ?? "").trim() || "Unassigned";
    const sourceId = slug(name);
    const id = this.id("U", sourceId);
    if (!this.#owners.has(id)) {
      this.#owners.add(id);
      this.rows.push({
        table: "crm_owners",
        values: { id, name, team: "unassigned" },
        sourceId: `owner:${sourceId}`,
        origin,
        stub: true,
      });
    }
    return id;
  }

  /** A company row; `stub` when only a deal names it (a companies export then fills it in). */
  account(
    values: Record<string, SqlValue> & { id: string },
    sourceId: string,
    origin: RowOrigin,
    options: { stub: boolean; columns?: Record<string, string> },
  ): void {
    this.rows.push({
      table: "crm_accounts",
      values,
      sourceId,
      origin,
      ...(options.columns ? { columns: options.columns } : {}),
      ...(options.stub ? { stub: true } : {}),
    });
  }

  /**
   * A deal of a deals export with its company as the export names it (a placeholder account,
   * which a companies export fills in): created defaults to the close date, the stage change to
   * the close date of a closed deal else to its creation, and a lost reason is kept only for a
   * lost deal. `columns` maps deal fields to the export's headers, for rejections.
   */
  deal(deal: DealRecord, origin: RowOrigin, columns: Record<string, string>): void {
    const accountId = this.id("C", deal.account.sourceId);
    const created = deal.created ?? deal.closeDate;
    this.account(
      {
        id: accountId,
        name: deal.account.name,
        industry: "unknown",
        country: "unknown",
        currency: deal.currency,
        segment: "unknown",
        employees: 0,
        owner_id: deal.ownerId,
        created_on: created,
      },
      deal.account.sourceId,
      origin,
      { stub: true },
    );
    this.add({
      table: "crm_deals",
      values: {
        id: this.id("D", deal.sourceId),
        account_id: accountId,
        owner_id: deal.ownerId,
        name: deal.name,
        stage: deal.stage,
        amount_minor: deal.amount,
        currency: deal.currency,
        created_on: created,
        close_date: deal.closeDate,
        stage_changed_on: deal.stageChanged ?? (deal.stage.startsWith("closed_") ? deal.closeDate : created),
        lost_reason: deal.stage === "closed_lost" ? deal.lostReason || null : null,
        last_activity_at: deal.lastActivity ?? null,
      },
      sourceId: deal.sourceId,
      origin,
      columns,
    });
  }

  /** Adds a full row. */
  add(row: DomainRow): void {
    this.rows.push(row);
  }
}

/** What a deals export (HubSpot, Salesforce, Pipedrive) says of one deal, read and checked. */
export interface DealRecord {
  /** The deal's id in its system. */
  sourceId: string;
  name: string;
  stage: string;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  closeDate: string;
  /** Blank in the export: the close date. */
  created: string | undefined;
  /** Blank in the export: see `CrmRowSet.deal`. */
  stageChanged: string | undefined;
  lastActivity: string | undefined;
  /** "" when none. */
  lostReason: string;
  ownerId: string;
  /** The company as the deal names it: its id in the system (or a derived one) and its name. */
  account: { sourceId: string; name: string };
}

/** Which kind of export a CSV is, by its headers; undefined when none fits. */
export type ExportKind = "deals" | "companies" | "line_items";

/** Skips records whose cells past the first are all blank (report footers, totals). */
export function dataRecords(table: CsvTable): CsvTable["records"] {
  const [, ...rest] = table.headers;
  return table.records.filter((r) => rest.length === 0 || rest.some((h) => (r.cells[h] ?? "").trim() !== ""));
}

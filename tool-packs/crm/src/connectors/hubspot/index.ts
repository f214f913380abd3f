// HubSpot CRM exports (Deals, Companies, Line items: CRM > Deals > Export, "All properties" or the
// current view). Columns follow the exported view, so each field is found by its internal property
// name or its label as HubSpot exports it.
import {
  CellError,
  type ColumnAliases,
  type Connector,
  type CsvTable,
  ImportError,
  type ImportMapping,
  type PullBatch,
  RecordReader,
  readCsv,
  requireColumns,
  resolveColumns,
  type SourceFile,
} from "@toolpacks/pack-kit";
import {
  CrmRowSet,
  countryCode,
  crmAmount,
  crmCurrency,
  crmDate,
  crmTimestamp,
  dataRecords,
  dealStages,
  type ExportKind,
  employeeCount,
  segmentOf,
} from "../shared.js";

const DEAL_COLUMNS = {
  id: ["hs_object_id", "Record ID", "Deal ID", "dealId"],
  name: ["dealname", "Deal Name"],
  stage: ["dealstage", "Deal Stage"],
  amount: ["amount", "Amount"],
  currency: ["deal_currency_code", "Currency"],
  closeDate: ["closedate", "Close Date"],
  pipeline: ["pipeline", "Pipeline"],
  owner: ["hubspot_owner_id", "Deal owner", "Owner"],
  created: ["createdate", "Create Date", "Created Date"],
  companyIds: [
    "associatedcompanyid",
    "Associated Company IDs",
    "Associated Company IDs (Primary)",
    "Associated Company ID",
  ],
  companyName: ["Associated Company", "Associated Company (Primary)", "Associated Companies", "Company name"],
  lostReason: ["closed_lost_reason", "Closed Lost Reason"],
  lastActivity: ["notes_last_updated", "Last Activity Date"],
  stageChanged: ["hs_v2_date_entered_current_stage", "Date entered current stage", "Last Stage Change Date"],
} as const satisfies ColumnAliases<string>;

const COMPANY_COLUMNS = {
  id: ["hs_object_id", "Record ID", "Company ID"],
  name: ["name", "Company name", "Name"],
  domain: ["domain", "Company Domain Name", "Website URL", "website"],
  industry: ["industry", "Industry"],
  country: ["country", "Country/Region", "Country"],
  employees: ["numberofemployees", "Number of Employees"],
  owner: ["hubspot_owner_id", "Company owner", "Owner"],
  created: ["createdate", "Create Date"],
  currency: ["Currency", "hs_currency"],
} as const satisfies ColumnAliases<string>;

const LINE_COLUMNS = {
  id: ["hs_object_id", "Record ID", "Line Item ID"],
  dealIds: [
    "Associated Deal IDs",
    "Associated Deal IDs (Primary)",
    "Associated Deal ID",
    "Associated Deal",
    "Deal ID",
  ],
  name: ["name", "Name", "Product name"],
  sku: ["hs_sku", "SKU"],
  quantity: ["quantity", "Quantity"],
  price: ["price", "Unit price"],
  discountPct: ["hs_discount_percentage", "Discount percentage"],
  amount: ["amount", "Net price", "Amount"],
  currency: ["hs_line_item_currency_code", "Currency"],
} as const satisfies ColumnAliases<string>;

/** Which HubSpot export a file is, by its headers. */
function kindOf(table: CsvTable): ExportKind | undefined {
  const has = (aliases: ColumnAliases<"x">["x"]) =>
    resolveColumns(table.headers, { x: aliases }).x !== undefined;
  if (has(LINE_COLUMNS.quantity) && has(LINE_COLUMNS.price)) return "line_items";
  if (has(DEAL_COLUMNS.name) && has(DEAL_COLUMNS.stage)) return "deals";
  if (has(COMPANY_COLUMNS.name) && has(COMPANY_COLUMNS.id)) return "companies";
  return undefined;
}

/** The first id of a multi-valued association cell (`123;456`). */
function firstId(text: string | undefined): string | undefined {
  const id = (text ?? "").split(/[;,]/)[0]?.trim();
  return id ? id : undefined;
}

function today(file: SourceFile): string {
  return (file.modifiedAt ?? new Date().toISOString()).slice(0, 10);
}

function readCompanies(
  set: CrmRowSet,
  table: CsvTable,
  file: SourceFile,
  mapping: ImportMapping | undefined,
  reader: RecordReader,
): void {
  const c = resolveColumns(table.headers, COMPANY_COLUMNS);
  requireColumns(table, c, COMPANY_COLUMNS, ["id", "name"], "a HubSpot companies export");
  for (const record of dataRecords(table)) {
    const cell = (h: string | undefined) => (h === undefined ? "" : (record.cells[h] ?? "").trim());
    const origin = { file: file.name, line: record.line };
    reader.read(file.name, record.line, (at) => {
      const sourceId = at(c.id, () => {
        const id = cell(c.id);
        if (id === "")
          throw new CellError("missing_id", "Record ID is blank; export with the Record ID column.");
        return id;
      });
      const employees = at(c.employees, () => employeeCount(cell(c.employees)));
      const currency = at(c.currency, () => crmCurrency(cell(c.currency), mapping));
      const ownerId = set.owner(cell(c.owner), origin);
      const created = at(c.created, () => crmDate(cell(c.created))) ?? today(file);
      set.account(
        {
          id: set.id("C", sourceId),
          name: cell(c.name),
          domain: cell(c.domain) || null,
          industry: cell(c.industry).toLowerCase() || "unknown",
          country: countryCode(cell(c.country)),
          currency,
          segment: segmentOf(employees),
          employees: employees ?? 0,
          owner_id: ownerId,
          created_on: created,
        },
        sourceId,
        origin,
        { stub: false, columns: { name: c.name ?? "name", owner_id: c.owner ?? "owner" } },
      );
    });
  }
}

function readDeals(
  set: CrmRowSet,
  table: CsvTable,
  file: SourceFile,
  mapping: ImportMapping | undefined,
  reader: RecordReader,
): void {
  const c = resolveColumns(table.headers, DEAL_COLUMNS);
  requireColumns(table, c, DEAL_COLUMNS, ["id", "name", "stage", "closeDate"], "a HubSpot deals export");
  for (const record of dataRecords(table)) {
    const cell = (h: string | undefined) => (h === undefined ? "" : (record.cells[h] ?? "").trim());
    const origin = { file: file.name, line: record.line };
    reader.read(file.name, record.line, (at) => {
      const sourceId = at(c.id, () => {
        const id = cell(c.id);
        if (id === "")
          throw new CellError("missing_id", "Record ID is blank; export with the Record ID column.");
        return id;
      });
      const stage = at(c.stage, () => dealStages.map(cell(c.stage), "hubspot", mapping?.values["stage"]));
      const currency = at(c.currency, () => crmCurrency(cell(c.currency), mapping));
      const amount = at(c.amount, () => crmAmount(cell(c.amount), currency));
      const closeDate = at(c.closeDate, () => {
        const date = crmDate(cell(c.closeDate));
        if (date === undefined)
          throw new CellError(
            "missing_date",
            "Close Date is blank; every deal needs one to fall in a period.",
          );
        return date;
      });
      const companyId = firstId(cell(c.companyIds));
      const companyName = cell(c.companyName).split(";")[0]?.trim() ?? "";
      set.deal(
        {
          sourceId,
          name: cell(c.name),
          stage,
          amount,
          currency,
          closeDate,
          created: at(c.created, () => crmDate(cell(c.created))),
          stageChanged: at(c.stageChanged, () => crmDate(cell(c.stageChanged))),
          lastActivity: at(c.lastActivity, () => crmTimestamp(cell(c.lastActivity))),
          lostReason: cell(c.lostReason),
          ownerId: set.owner(cell(c.owner), origin),
          account: {
            sourceId: companyId ?? "none",
            name: companyId ? companyName || `HubSpot company ${companyId}` : "(no company)",
          },
        },
        origin,
        {
          name: c.name ?? "Deal Name",
          account_id: c.companyIds ?? "Associated Company IDs",
          owner_id: c.owner ?? "Deal owner",
        },
      );
    });
  }
}

function readLineItems(
  set: CrmRowSet,
  table: CsvTable,
  file: SourceFile,
  mapping: ImportMapping | undefined,
  reader: RecordReader,
): void {
  const c = resolveColumns(table.headers, LINE_COLUMNS);
  requireColumns(
    table,
    c,
    LINE_COLUMNS,
    ["id", "dealIds", "quantity", "price"],
    "a HubSpot line items export",
  );
  const lineNo = new Map<string, number>();
  for (const record of dataRecords(table)) {
    const cell = (h: string | undefined) => (h === undefined ? "" : (record.cells[h] ?? "").trim());
    const origin = { file: file.name, line: record.line };
    reader.read(file.name, record.line, (at) => {
      const sourceId = at(c.id, () => {
        const id = cell(c.id);
        if (id === "")
          throw new CellError("missing_id", "Record ID is blank; export with the Record ID column.");
        return id;
      });
      const dealSource = at(c.dealIds, () => {
        const id = firstId(cell(c.dealIds));
        if (!id)
          throw new CellError(
            "missing_deal",
            "the line item is associated with no deal; only deal line items are imported.",
          );
        return id;
      });
      const currency = at(c.currency, () => crmCurrency(cell(c.currency), mapping));
      const quantity = at(c.quantity, () => {
        const q = cell(c.quantity).replaceAll(",", "");
        if (!/^\d+(\.0+)?$/.test(q))
          throw new CellError(
            "invalid_quantity",
            `quantity ${JSON.stringify(q.slice(0, 20))} is not a whole number of units.`,
          );
        return Number.parseInt(q, 10);
      });
      const unit = at(c.price, () => crmAmount(cell(c.price), currency));
      const discount = at(c.discountPct, () => {
        const d = cell(c.discountPct).replace("%", "").trim();
        if (d === "") return 0;
        if (!/^\d+(\.\d+)?$/.test(d) || Number(d) > 100)
          throw new CellError(
            "invalid_discount",
            `discount ${JSON.stringify(d.slice(0, 20))} is not a percentage from 0 to 100.`,
          );
        return Math.round(Number(d));
      });
      const amount = at(c.amount, () =>
        cell(c.amount) === ""
          ? Math.round((quantity * unit * (100 - discount)) / 100)
          : crmAmount(cell(c.amount), currency),
      );
      const dealId = set.id("D", dealSource);
      const no = (lineNo.get(dealId) ?? 0) + 1;
      lineNo.set(dealId, no);
      set.add({
        table: "crm_deal_lines",
        values: {
          id: set.id("L", sourceId),
          deal_id: dealId,
          line_no: no,
          sku: cell(c.sku) || cell(c.name) || "unknown",
          quantity,
          unit_price_minor: unit,
          discount_pct: discount,
          amount_minor: amount,
          currency,
        },
        sourceId,
        origin,
        columns: { deal_id: c.dealIds ?? "Associated Deal IDs" },
      });
    });
  }
}

/** Reads HubSpot deals, companies and line items exports (any of them, in any order). */
export const hubspot: Connector = {
  name: "hubspot",
  system: "hubspot",
  description: "HubSpot exports of deals, companies and line items (CSV)",
  *pull({ files, mapping }): Generator<PullBatch> {
    for (const file of files) {
      const table = readCsv(file.name, file.text);
      const kind = kindOf(table);
      if (!kind) {
        throw new ImportError(
          "unknown_export",
          `${file.name} is not a HubSpot deals, companies or line items export: expected "Record ID" with "Deal Name" and "Deal Stage" (deals), "Company name" (companies) or "Quantity" and "Unit price" (line items). Found: ${table.headers.slice(0, 12).join(", ")}.`,
          { file: file.name, line: 1 },
        );
      }
      const set = new CrmRowSet("hs");
      const reader = new RecordReader();
      if (kind === "companies") readCompanies(set, table, file, mapping, reader);
      else if (kind === "deals") readDeals(set, table, file, mapping, reader);
      else readLineItems(set, table, file, mapping, reader);
      yield { rows: set.rows, rejected: reader.rejected };
    }
  },
};

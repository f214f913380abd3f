// Salesforce Opportunities report exported as CSV (Reports > an Opportunities report > Export >
// Details Only, CSV). Report columns are labels; the footer Salesforce appends (report name,
// copyright, "Confidential Information") is skipped.
import {
  CellError,
  type ColumnAliases,
  type Connector,
  ImportError,
  type PullBatch,
  RecordReader,
  readCsv,
  requireColumns,
  resolveColumns,
} from "@toolpacks/pack-kit";
import {
  CrmRowSet,
  crmAmount,
  crmCurrency,
  crmDate,
  crmTimestamp,
  dataRecords,
  dealStages,
  shortHash,
  slug,
} from "../shared.js";

const COLUMNS = {
  id: ["Opportunity ID", "Opportunity Id", "Id", "Opportunity 18 Digit ID"],
  name: ["Opportunity Name", "Name"],
  account: ["Account Name"],
  accountId: ["Account ID", "Account Id", "AccountId"],
  stage: ["Stage", "StageName", "Opportunity Stage"],
  amount: ["Amount", "Amount (converted)"],
  currency: ["Opportunity Currency", "Amount Currency", "Currency", "CurrencyIsoCode"],
  closeDate: ["Close Date", "CloseDate"],
  owner: ["Opportunity Owner", "Owner Name", "Owner Full Name", "Owner"],
  created: ["Created Date", "CreatedDate"],
  stageChanged: ["Last Stage Change Date", "LastStageChangeDate"],
  lastActivity: ["Last Activity", "LastActivityDate", "Last Activity Date"],
  lostReason: ["Loss Reason", "Closed Lost Reason", "Reason Lost"],
} as const satisfies ColumnAliases<string>;

/**
 * Reads a Salesforce Opportunities report. Rows are matched on "Opportunity ID" (add it to the
 * report); without it, on the account and opportunity names, so renaming either in Salesforce
 * then imports a new deal.
 */
export const salesforce: Connector = {
  name: "salesforce",
  system: "salesforce",
  description: "Salesforce Opportunities report, exported as CSV (Details Only)",
  *pull({ files, mapping }): Generator<PullBatch> {
    for (const file of files) {
      const table = readCsv(file.name, file.text);
      const c = resolveColumns(table.headers, COLUMNS);
      if (c.name === undefined || c.stage === undefined) {
        throw new ImportError(
          "unknown_export",
          `${file.name} is not a Salesforce Opportunities report: expected "Opportunity Name" and "Stage" columns. Found: ${table.headers.slice(0, 12).join(", ")}.`,
          { file: file.name, line: 1 },
        );
      }
      requireColumns(
        table,
        c,
        COLUMNS,
        ["name", "account", "stage", "closeDate"],
        "a Salesforce Opportunities report",
      );
      const set = new CrmRowSet("sf");
      const reader = new RecordReader();
      for (const record of dataRecords(table)) {
        const cell = (h: string | undefined) => (h === undefined ? "" : (record.cells[h] ?? "").trim());
        const origin = { file: file.name, line: record.line };
        reader.read(file.name, record.line, (at) => {
          const account = at(c.account, () => {
            const a = cell(c.account);
            if (a === "")
              throw new CellError(
                "missing_account",
                "Account Name is blank; Salesforce opportunities belong to an account.",
              );
            return a;
          });
          const sourceId = cell(c.id) || `name-${shortHash(`${account}\u0000${cell(c.name)}`)}`;
          const stage = at(c.stage, () =>
            dealStages.map(cell(c.stage), "salesforce", mapping?.values["stage"]),
          );
          // Multi-currency orgs write "EUR 1,200.00" in Amount; the currency column wins when present.
          const amountText = cell(c.amount);
          const named = /^([A-Z]{3})\s/.exec(amountText)?.[1];
          const currency = at(c.currency ?? c.amount, () => crmCurrency(cell(c.currency) || named, mapping));
          const amount = at(c.amount, () => crmAmount(amountText, currency));
          const closeDate = at(c.closeDate, () => {
            const date = crmDate(cell(c.closeDate));
            if (date === undefined)
              throw new CellError("missing_date", "Close Date is blank; every opportunity needs one.");
            return date;
          });
          const accountSource = cell(c.accountId) || `name-${slug(account)}`;
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
              account: { sourceId: accountSource, name: account },
            },
            origin,
            { name: c.name ?? "Opportunity Name", owner_id: c.owner ?? "Opportunity Owner" },
          );
        });
      }
      yield { rows: set.rows, rejected: reader.rejected };
    }
  },
};

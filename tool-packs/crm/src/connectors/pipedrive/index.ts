// Pipedrive deals export (Deals list view > … > Export filter results, CSV). Pipedrive prefixes
// columns with the entity ("Deal - Title", "Organization - Name"); newer exports drop the prefix,
// so both are matched. Won and lost come from the Status column, the stage only for open deals.
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
  slug,
} from "../shared.js";

const both = (label: string) => [`Deal - ${label}`, label];

const COLUMNS = {
  id: both("ID"),
  title: both("Title"),
  value: both("Value"),
  currency: both("Currency"),
  stage: both("Stage"),
  status: both("Status"),
  owner: [...both("Owner"), "Deal - Owner name"],
  organization: [...both("Organization"), "Organization - Name"],
  organizationId: ["Deal - Organization ID", "Organization - ID", "Organization ID"],
  expectedClose: both("Expected close date"),
  wonTime: both("Won time"),
  lostTime: both("Lost time"),
  created: [...both("Deal created"), "Deal - Add time", "Add time"],
  lostReason: both("Lost reason"),
  stageChanged: both("Last stage change"),
  lastActivity: both("Last activity date"),
} as const satisfies ColumnAliases<string>;

/** Reads a Pipedrive deals export. */
export const pipedrive: Connector = {
  name: "pipedrive",
  system: "pipedrive",
  description: "Pipedrive deals export (CSV)",
  *pull({ files, mapping }): Generator<PullBatch> {
    for (const file of files) {
      const table = readCsv(file.name, file.text);
      const c = resolveColumns(table.headers, COLUMNS);
      if (c.title === undefined || c.status === undefined) {
        throw new ImportError(
          "unknown_export",
          `${file.name} is not a Pipedrive deals export: expected "Deal - Title" and "Deal - Status" columns. Found: ${table.headers.slice(0, 12).join(", ")}.`,
          { file: file.name, line: 1 },
        );
      }
      requireColumns(table, c, COLUMNS, ["id", "title", "status", "stage"], "a Pipedrive deals export");
      const set = new CrmRowSet("pd");
      const reader = new RecordReader();
      for (const record of dataRecords(table)) {
        const cell = (h: string | undefined) => (h === undefined ? "" : (record.cells[h] ?? "").trim());
        const origin = { file: file.name, line: record.line };
        reader.read(file.name, record.line, (at) => {
          const sourceId = at(c.id, () => {
            const id = cell(c.id);
            if (id === "")
              throw new CellError("missing_id", "Deal - ID is blank; export with the ID column.");
            return id;
          });
          const status = cell(c.status).toLowerCase();
          const stage = at(c.status, () => {
            if (status === "won") return "closed_won" as const;
            if (status === "lost") return "closed_lost" as const;
            if (status !== "open") {
              throw new CellError(
                "unknown_value",
                `unknown deal status ${JSON.stringify(status.slice(0, 20))}; known: open, won, lost.`,
              );
            }
            return at(c.stage, () => {
              const open = dealStages.map(cell(c.stage), "pipedrive", mapping?.values["stage"]);
              if (open.startsWith("closed_"))
                throw new CellError(
                  "invalid_value",
                  `stage "${cell(c.stage)}" is closed but the deal's status is open.`,
                );
              return open;
            });
          });
          const currency = at(c.currency, () => crmCurrency(cell(c.currency), mapping));
          const amount = at(c.value, () => crmAmount(cell(c.value), currency));
          const closeColumn =
            stage === "closed_won" ? c.wonTime : stage === "closed_lost" ? c.lostTime : c.expectedClose;
          const closeDate = at(closeColumn ?? c.expectedClose, () => {
            const date = crmDate(cell(closeColumn)) ?? crmDate(cell(c.expectedClose));
            if (date === undefined) {
              throw new CellError(
                "missing_date",
                `${stage === "closed_won" ? "Won time" : stage === "closed_lost" ? "Lost time" : "Expected close date"} is blank; every deal needs a close date to fall in a period.`,
              );
            }
            return date;
          });
          const organization = cell(c.organization);
          set.deal(
            {
              sourceId,
              name: cell(c.title),
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
                sourceId: cell(c.organizationId) || (organization ? `name-${slug(organization)}` : "none"),
                name: organization || "(no organization)",
              },
            },
            origin,
            { name: c.title ?? "Deal - Title", owner_id: c.owner ?? "Deal - Owner" },
          );
        });
      }
      yield { rows: set.rows, rejected: reader.rejected };
    }
  },
};

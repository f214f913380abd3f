import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { writeCsv } from "@toolpacks/pack-kit";

/** How many rows of each HubSpot export `writeHubSpotExport` writes. */
export interface HubSpotExportShape {
  companies: number;
  deals: number;
  lineItems: number;
}

/** Splits `rows` the way a CRM's exports are: 1 company : 5 deals : 4 line items. */
export function hubSpotShape(rows: number): HubSpotExportShape {
  const companies = Math.max(1, Math.round(rows / 10));
  const deals = Math.max(1, Math.round(rows / 2));
  return { companies, deals, lineItems: Math.max(0, rows - companies - deals) };
}

const STAGES = ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "closedwon", "closedlost"];
const OWNERS = ["Ana Souza", "Ben Okafor", "Chloé Martin", "Dmitri Ivanov", "Eva Lindqvist", "Farid Haddad"];
const CURRENCIES = ["USD", "EUR", "GBP"];

const dayOf = (i: number) =>
  new Date(Date.UTC(2025, 0, 1) + (i % 540) * 86_400_000).toISOString().slice(0, 10);

/** Writes `count` CSV rows produced by `row(i)` to `path`, a chunk at a time (never the whole file in memory). */
async function writeRows(
  path: string,
  header: readonly string[],
  count: number,
  row: (i: number) => string[],
): Promise<void> {
  const out = createWriteStream(path);
  const CHUNK = 5_000;
  for (let start = 0; start < count; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => row(start + k));
    const text = writeCsv(header, rows);
    // writeCsv always starts with the header line: keep it for the first chunk only.
    if (!out.write(start === 0 ? text : text.slice(text.indexOf("\r\n") + 2))) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/**
 * Writes a HubSpot export of `shape` rows into `dir` as HubSpot's "Export" writes it (the same
 * column names, one row per record, associations by id): companies.csv, deals.csv and
 * line-items.csv. Deterministic; clean values, so the import's cost is the pack's, not the
 * rejection of bad rows. Returns the three paths.
 */
export async function writeHubSpotExport(dir: string, shape: HubSpotExportShape): Promise<string[]> {
  const companies = join(dir, "companies.csv");
  const deals = join(dir, "deals.csv");
  const lines = join(dir, "line-items.csv");
  await writeRows(
    companies,
    [
      "Record ID",
      "Company name",
      "Company Domain Name",
      "Industry",
      "Country/Region",
      "Number of Employees",
      "Company owner",
      "Create Date",
    ],
    shape.companies,
    (i) => [
      String(9_000_000 + i),
      `Company ${i}`,
      `c${i}.example`,
      "Manufacturing",
      "United States",
      String(10 + (i % 5_000)),
      OWNERS[i % OWNERS.length] as string,
      dayOf(i),
    ],
  );
  await writeRows(
    deals,
    [
      "Record ID",
      "Deal Name",
      "Deal Stage",
      "Amount",
      "Close Date",
      "Pipeline",
      "Deal owner",
      "Create Date",
      "Associated Company IDs",
      "Currency",
    ],
    shape.deals,
    (i) => [
      String(20_000_000 + i),
      `Deal ${i}`,
      STAGES[i % STAGES.length] as string,
      `${1_000 + (i % 90_000)}.${String(i % 100).padStart(2, "0")}`,
      dayOf(i + 90),
      "Sales Pipeline",
      OWNERS[i % OWNERS.length] as string,
      dayOf(i),
      String(9_000_000 + (i % shape.companies)),
      CURRENCIES[(i % shape.companies) % CURRENCIES.length] as string,
    ],
  );
  await writeRows(
    lines,
    [
      "Record ID",
      "Name",
      "SKU",
      "Quantity",
      "Unit price",
      "Discount percentage",
      "Net price",
      "Associated Deal IDs",
      "Currency",
    ],
    shape.lineItems,
    (i) => {
      const deal = i % shape.deals;
      return [
        String(40_000_000 + i),
        "Platform licence",
        `SKU-${i % 500}`,
        String(1 + (i % 20)),
        `${100 + (i % 900)}.00`,
        "",
        "",
        String(20_000_000 + deal),
        CURRENCIES[(deal % shape.companies) % CURRENCIES.length] as string,
      ];
    },
  );
  return [companies, deals, lines];
}

/**
 * Building blocks for the export files connector tests import: a seeded random source, a cast of
 * companies that several systems share (so identity matching has something to match), and
 * writers that render exact values the messy ways real exports do (thousands separators,
 * currency symbols, dates with and without time or zone, BOM, CRLF, quoted commas). The values a
 * generator renders are its truth: tests compute expected answers from them, never through the
 * pack's SQL.
 */

/** A seeded pseudo-random source (mulberry32): the same seed always gives the same fixture. */
export interface FixtureRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** `length` characters of [0-9A-Za-z], e.g. the tail of a Stripe id. */
  token(length: number): string;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A seeded random source. */
export function fixtureRandom(seed: number): FixtureRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    chance: (p) => next() < p,
    token: (length) => Array.from({ length }, () => BASE62[int(0, 61)]).join(""),
  };
}

/** A business that appears in several systems' exports. */
export interface FixtureCompany {
  /** Stable index-based key, e.g. `CO-007`: the truth tests match identities against. */
  key: string;
  /** Legal name, sometimes with a comma, quotes or accents. */
  name: string;
  /** Web domain, e.g. `northwind.example`. */
  domain: string;
  /** Billing contact email at the domain. */
  email: string;
  /** VAT / tax id, e.g. `DE123456789`. */
  taxId: string;
  /** ISO 3166 alpha-2 country. */
  country: string;
  /** ISO 4217 currency the company is invoiced in. */
  currency: "USD" | "EUR" | "GBP";
}

const STEMS = [
  "Northwind",
  "Contoso",
  "Fabrikam",
  "Tailspin",
  "Wingtip",
  "Litware",
  "Proseware",
  "Adatum",
  "Lucerne",
  "Margie",
  "Alpine",
  "Coho",
  "Fourth Coffee",
  "Humongous",
  "Blue Yonder",
  "Trey",
  "Woodgrove",
  "Graphic",
  "Wide World",
  "Southridge",
  "Consolidated",
  "Relecloud",
  "Bellows",
  "Müller",
  "Duval",
  "Ørsted",
];
const SUFFIXES = [", Inc.", " Ltd", " GmbH", " LLC", " SAS", " & Co.", " Group", ", S.L."];
const PLACES: Array<{ country: string; currency: FixtureCompany["currency"]; vat: string }> = [
  { country: "US", currency: "USD", vat: "US" },
  { country: "US", currency: "USD", vat: "US" },
  { country: "DE", currency: "EUR", vat: "DE" },
  { country: "FR", currency: "EUR", vat: "FR" },
  { country: "GB", currency: "GBP", vat: "GB" },
];

/**
 * `count` companies, the same for the same seed: every system's fixture that draws from this cast
 * describes the same businesses, each under that system's own ids.
 */
export function fixtureCompanies(count: number, seed = 19): FixtureCompany[] {
  const r = fixtureRandom(seed);
  const companies: FixtureCompany[] = [];
  for (let i = 0; i < count; i++) {
    const stem = STEMS[i % STEMS.length] as string;
    const round = Math.floor(i / STEMS.length);
    const base =
      round === 0 ? stem : `${stem} ${["North", "East", "West", "South", "Labs", "Retail"][round % 6]}`;
    const suffix = r.pick(SUFFIXES);
    const name = i % 17 === 5 ? `The "${base}" Company` : `${base}${suffix}`;
    const slug = base
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-zA-Z0-9 ]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    const place = r.pick(PLACES);
    companies.push({
      key: `CO-${String(i + 1).padStart(3, "0")}`,
      name,
      domain: `${slug}.example`,
      email: `${r.pick(["billing", "ap", "accounts", "finance"])}@${slug}.example`,
      taxId: `${place.vat}${String(r.int(100_000_000, 999_999_999))}`,
      country: place.country,
      currency: place.currency,
    });
  }
  return companies;
}

/** ISO 4217 minor-unit exponents of the currencies fixtures render. */
export const FIXTURE_EXPONENTS: Readonly<Record<string, number>> = { USD: 2, EUR: 2, GBP: 2, JPY: 0 };
const SYMBOLS: Readonly<Record<string, string>> = { USD: "$", EUR: "€", GBP: "£", JPY: "¥" };

/** How an amount is written in an export cell. */
export type MoneyStyle = "plain" | "thousands" | "symbol" | "trimmed";

/**
 * Renders integer minor units: `plain` 1234.50, `thousands` 1,234.50, `symbol` $1,234.50,
 * `trimmed` 1234.5 / 1234 (trailing zeros and a bare point dropped, as spreadsheets do).
 */
export function renderMoney(minor: number, currency: string, style: MoneyStyle = "plain"): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be an integer, got ${minor}`);
  const exponent = FIXTURE_EXPONENTS[currency];
  if (exponent === undefined) throw new RangeError(`no exponent for ${currency}`);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(exponent + 1, "0");
  let whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  let frac = exponent === 0 ? "" : digits.slice(-exponent);
  if (style === "trimmed") frac = frac.replace(/0+$/, "");
  if (style === "thousands" || style === "symbol") whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const number = frac === "" ? whole : `${whole}.${frac}`;
  return style === "symbol" ? `${sign}${SYMBOLS[currency] ?? ""}${number}` : `${sign}${number}`;
}

/** How a moment is written in an export cell. */
export type DateStyle = "date" | "datetime" | "iso-z" | "iso-offset";

/**
 * Renders a UTC moment (`YYYY-MM-DDTHH:MM:SS`): `date` 2026-03-14, `datetime` 2026-03-14 09:21:33,
 * `iso-z` 2026-03-14T09:21:33Z, `iso-offset` the same moment in a zone `offsetMinutes` east of UTC
 * (which can fall on another calendar day, as the zone of a real export does).
 */
export function renderMoment(utc: string, style: DateStyle, offsetMinutes = 0): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(utc)) throw new RangeError(`not a UTC moment: ${utc}`);
  if (style === "date") return utc.slice(0, 10);
  if (style === "datetime") return utc.replace("T", " ");
  if (style === "iso-z") return `${utc}Z`;
  const local = new Date(Date.parse(`${utc}Z`) + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addFixtureDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Options of `renderCsv`. */
export interface CsvRenderOptions {
  /** Start with a UTF-8 byte order mark, as Excel writes. */
  bom?: boolean;
  /** End lines with CRLF, as Windows tools and Python's csv module do. */
  crlf?: boolean;
}

function quoteCell(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** Renders a CSV file: cells quoted when they hold a comma, quote, line break or edge space. */
export function renderCsv(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: CsvRenderOptions = {},
): string {
  const eol = options.crlf ? "\r\n" : "\n";
  for (const [i, row] of rows.entries()) {
    if (row.length !== header.length) {
      throw new RangeError(`row ${i + 1} has ${row.length} cells, the header ${header.length}`);
    }
  }
  const lines = [header, ...rows].map((row) => row.map(quoteCell).join(","));
  return `${options.bom ? "\uFEFF" : ""}${lines.join(eol)}${eol}`;
}

/** A row built by column name, rendered in the header's order ("" for columns it leaves out). */
export function rowOf(header: readonly string[], cells: Readonly<Record<string, string>>): string[] {
  for (const name of Object.keys(cells)) {
    if (!header.includes(name)) throw new RangeError(`column ${JSON.stringify(name)} is not in the header`);
  }
  return header.map((name) => cells[name] ?? "");
}

/**
 * What every Postgres store speaks, whatever opens its connections (a Node `pg.Pool`, or a
 * `pg.Client` per call on Workers through Hyperdrive): result types, value binding, placeholder
 * rewriting, error mapping. Imported only behind the `./node` and `./workers` entries.
 */
import { PackKitError, ToolError } from "../errors.js";
import { toPostgresPlaceholders } from "./placeholders.js";
import type { SqlValue } from "./types.js";

/** The part of a `pg` client the stores use. */
export interface PgQueryable {
  query(config: string | { text: string; values: unknown[] }): Promise<{
    rows: object[];
    rowCount: number | null;
  }>;
}

// Result types SqlValue can carry, decided here once for every query: integers as numbers
// (bigint past 2^53) like node:sqlite, booleans as 1/0 like SQLite, dates and JSON as their text.
const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const TEXT_AS_IS = new Set([114, 3802, 1082, 1083, 1114, 1184, 1266, 1186]);

function integerValue(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** Parses an int8 or numeric result column as node:sqlite would: exact integers, else a number. */
export function parseNumeric(text: string): number | bigint {
  return /^-?\d+$/.test(text) ? integerValue(text) : Number(text);
}

/** The `types` option of a `pg` client or pool: the result types above, `fallback` for the rest. */
export function postgresTypeParsers(fallback: (oid: number) => (text: string) => unknown) {
  return {
    getTypeParser(oid: number, format?: string): (text: string) => unknown {
      if (format === "binary") return (value) => value;
      if (oid === INT8 || oid === NUMERIC) return parseNumeric;
      if (oid === BOOL) return (text) => (text === "t" ? 1 : 0);
      if (TEXT_AS_IS.has(oid)) return (text) => text;
      return fallback(oid);
    },
  };
}

function bindValue(value: SqlValue): unknown {
  if (typeof value === "string" && value.includes("\u0000")) {
    // Postgres text cannot hold U+0000, so no stored value can equal it and none can be written.
    throw new ToolError(
      "unsupported_text",
      "A text value contains a NUL character (U+0000), which the Postgres store cannot hold or compare; nothing was read or written.",
      { fix: "remove the NUL character from the argument and retry." },
    );
  }
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value);
  return value;
}

/** The connection string with its password replaced by `***`, for messages. */
export function redactConnectionString(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://…";
  }
}

/**
 * Sends the store seam's statements: `?` rewritten to `$n` (cached per text), values bound, and
 * always the extended protocol, so one call is exactly one statement (no `;`-chained SQL).
 */
export function statementSender(): (
  client: PgQueryable,
  sql: string,
  params: readonly SqlValue[] | undefined,
) => ReturnType<PgQueryable["query"]> {
  const texts = new Map<string, string>();
  const text = (sql: string) => {
    let converted = texts.get(sql);
    if (converted === undefined) {
      converted = toPostgresPlaceholders(sql);
      if (texts.size > 1000) texts.clear();
      texts.set(sql, converted);
    }
    return converted;
  };
  return (client, sql, params) => {
    const config = { text: text(sql), values: (params ?? []).map(bindValue), queryMode: "extended" };
    return client.query(config as { text: string; values: unknown[] });
  };
}

const UNREACHABLE = [
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
];

/**
 * Turns a failure of the driver or the server into a `PackKitError` whose message says what went
 * wrong and how to fix it, keeping the original as `cause` (constraint violations keep their
 * SQLSTATE there, so `isConstraintViolation` still sees them). Codes: `store_unreachable`,
 * `store_auth_failed`, `store_database_missing`, `store_permission_denied`, `store_read_only`
 * (a read tried to write), `store_timeout`, `store_query_failed` (anything else).
 */
export function postgresError(error: unknown, where: string): PackKitError | ToolError {
  if (error instanceof PackKitError || error instanceof ToolError) return error;
  const e = error as { code?: string; message?: string };
  const code = typeof e?.code === "string" ? e.code : "";
  const message = e?.message ?? String(error);
  const make = (kind: string, text: string) => new PackKitError(kind, text, { cause: error });
  // Node's socket errors; SQLSTATE class 08 (connection exception) and 57P03 (cannot connect
  // now) from a server or a proxy; "connection attempt failed" is what a Worker's socket to
  // Hyperdrive reports when the database behind it cannot be reached. 08P01 (protocol violation)
  // is in class 08 but says the server was reached and refused what it was sent, e.g. a statement
  // with more than 65,535 parameters: retrying or checking the network would not help.
  if (
    UNREACHABLE.includes(code) ||
    (code.startsWith("08") && code !== "08P01") ||
    code === "57P03" ||
    /timeout expired|Connection terminated|connection attempt failed|Network connection lost/i.test(message)
  ) {
    return make(
      "store_unreachable",
      `Cannot reach the Postgres server at ${where} (${code || message}). Check that it is running and that host, port and network allow the connection.`,
    );
  }
  if (code === "28P01" || code === "28000") {
    return make(
      "store_auth_failed",
      `Postgres at ${where} refused the login: ${message}. Check the user and password in the connection string (and pg_hba.conf).`,
    );
  }
  if (code === "3D000") {
    return make(
      "store_database_missing",
      `Postgres at ${where}: ${message}. Create the database first (CREATE DATABASE …) or name an existing one in the connection string.`,
    );
  }
  if (code === "42501") {
    return make(
      "store_permission_denied",
      `Postgres at ${where}: the role lacks a right the pack needs (${message}). Grant it (for example CREATE on the schema for migrations, INSERT/UPDATE on the pack's tables for writes).`,
    );
  }
  if (code === "25006") {
    return make(
      "store_read_only",
      `A read query tried to write (${message}); reads run in READ ONLY transactions. Write through run or batch.`,
    );
  }
  if (code === "57014") {
    return make(
      "store_timeout",
      `Postgres at ${where} cancelled a statement that ran past the statement timeout (${message}). Narrow the query or raise statementTimeoutMs.`,
    );
  }
  return make("store_query_failed", `Postgres at ${where}: ${message}${code ? ` (SQLSTATE ${code})` : ""}`);
}

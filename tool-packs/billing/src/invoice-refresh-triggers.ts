import type { OpenOnly } from "./open-sql.js";

/** Every invoice column the per-account tables read: an update of any other leaves them as they are. */
const WATCH = "amount_minor, amount_paid_minor, amount_credited_minor, currency, due_on, account_id";

/**
 * Triggers on `billing_invoices` that run `refresh(row)` for the invoice before (`OLD`) and after
 * (`NEW`) each write: the per-account tables (oldest open due date, open cells) recompute their
 * account's rows this way. `prefix` names the triggers and the Postgres function; `when`, given,
 * makes them fire only for invoices that are or were open.
 */
export function invoiceRefreshTriggers(prefix: string, refresh: (row: "NEW" | "OLD") => string[]) {
  const postgresStatements = (when?: OpenOnly) => {
    const on = (event: keyof OpenOnly) => (when === undefined ? "" : ` WHEN (${when[event]})`);
    return [
      ...(["INSERT", "DELETE"] as const).map(
        (event) =>
          `CREATE TRIGGER ${prefix}_${event.toLowerCase()} AFTER ${event} ON billing_invoices FOR EACH ROW${on(event === "INSERT" ? "insert" : "delete")} EXECUTE FUNCTION ${prefix}_track()`,
      ),
      `CREATE TRIGGER ${prefix}_update AFTER UPDATE OF ${WATCH} ON billing_invoices FOR EACH ROW${on("update")} EXECUTE FUNCTION ${prefix}_track()`,
    ];
  };
  return {
    sqlite(when?: OpenOnly): string[] {
      const on = (event: keyof OpenOnly) => (when === undefined ? "" : ` WHEN ${when[event]}`);
      const body = (rows: ("NEW" | "OLD")[]) =>
        rows
          .flatMap(refresh)
          .map((s) => `${s}; `)
          .join("");
      return [
        `CREATE TRIGGER ${prefix}_insert AFTER INSERT ON billing_invoices${on("insert")} BEGIN ${body(["NEW"])}END`,
        `CREATE TRIGGER ${prefix}_delete AFTER DELETE ON billing_invoices${on("delete")} BEGIN ${body(["OLD"])}END`,
        `CREATE TRIGGER ${prefix}_update AFTER UPDATE OF ${WATCH} ON billing_invoices${on("update")} BEGIN ${body(["OLD", "NEW"])}END`,
      ];
    },
    /** The function and its triggers. */
    postgres(): string[] {
      const run = (row: "NEW" | "OLD") =>
        refresh(row)
          .map((s) => `${s};`)
          .join("\n    ");
      return [
        `CREATE FUNCTION ${prefix}_track() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
    ${run("OLD")}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
    ${run("NEW")}
    END IF;
    RETURN NULL;
  END $$`,
        ...postgresStatements(),
      ];
    },
    /** The CREATE TRIGGER statements of the Postgres function, optionally firing only `when`. */
    postgresStatements,
  };
}

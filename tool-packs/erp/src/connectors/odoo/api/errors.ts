import { SyncError } from "@toolpacks/pack-kit";

/** The environment variable the Odoo API key is read from (and only from). */
export const ODOO_KEY_ENV = "ODOO_API_KEY";
/** The database name (`X-Odoo-Database`), needed when one server hosts several databases. */
export const ODOO_DATABASE_ENV = "ODOO_DATABASE";
/** The server's address (`https://mycompany.odoo.com`); `--base-url` overrides it. */
export const ODOO_URL_ENV = "ODOO_URL";

/** An Odoo JSON-2 error body: the Python exception's qualified name and message. */
export interface OdooErrorBody {
  name: string;
  message: string;
  arguments?: unknown[];
  context?: Record<string, unknown>;
  debug?: string;
}

const REFUSALS: Record<string, string> = {
  "odoo.exceptions.ValidationError": "a validation rule",
  "odoo.exceptions.UserError": "a business rule",
  "odoo.exceptions.AccessError": "the API user's access rights",
  "odoo.exceptions.MissingError": "a missing record",
  "odoo.exceptions.AccessDenied": "the API key",
};

/**
 * An Odoo answer that is not a success -> `SyncError` with a stable code and a message that says
 * what to do: 401 (invalid or expired key) names `ODOO_API_KEY`, never its value; a 429 or 5xx
 * that outlasted the retries says so; a refusal (`ValidationError`, `UserError`, `AccessError` …)
 * is `source_refused` with Odoo's own message. The traceback (`debug`) is never shown.
 */
export function odooError(status: number, body: OdooErrorBody | undefined, doing: string): SyncError {
  const reason = (body?.message ?? `HTTP ${status}`).trim().slice(0, 500);
  const kind = body?.name ?? "";
  if (status === 401 || kind === "odoo.exceptions.AccessDenied") {
    return new SyncError(
      "credential_rejected",
      `Odoo refused the API key while ${doing}: ${reason}. Fix: create a new key in Odoo (Preferences > Account Security > New API Key; keys last at most three months) and set it in ${ODOO_KEY_ENV}; nothing else was changed.`,
      { status },
    );
  }
  if (status === 429) {
    return new SyncError(
      "rate_limited",
      `Odoo kept answering 429 (too many requests) while ${doing}, after every retry. Fix: run the sync again later; committed pages are kept and it resumes from them.`,
      { status },
    );
  }
  if (status >= 500 && !(kind in REFUSALS)) {
    return new SyncError(
      "source_unavailable",
      `Odoo kept failing while ${doing} (HTTP ${status}: ${reason}). Fix: check that ${ODOO_URL_ENV} points at a running Odoo 19 server, then run again; committed pages are kept and it resumes from them.`,
      { status },
    );
  }
  if (status === 404 && kind === "") {
    return new SyncError(
      "source_refused",
      `Odoo answered 404 while ${doing}: the JSON-2 API is not at this address. Fix: point ${ODOO_URL_ENV} (or --base-url) at the server's root (https://mycompany.odoo.com), on Odoo 19 or later, with the model installed.`,
      { status },
    );
  }
  const what = REFUSALS[kind];
  return new SyncError(
    "source_refused",
    `Odoo refused ${doing}${what ? ` (${what}, ${kind.split(".").at(-1)})` : kind ? ` (${kind})` : ""}: ${reason}`,
    { status },
  );
}

import { type RetryOptions, retryingFetch, SyncError } from "@toolpacks/pack-kit";
import { ODOO_URL_ENV, type OdooErrorBody, odooError } from "./errors.js";

/** How to reach an Odoo server's JSON-2 API. */
export interface OdooClientOptions {
  /** The server's root address, `https://mycompany.odoo.com` (a local fake in tests). */
  baseUrl: string;
  /** An API key of the (bot) user the sync runs as, sent as `Authorization: bearer …`. */
  apiKey: string;
  /** `X-Odoo-Database`, when the server hosts several databases. */
  database?: string | undefined;
  /** Retries of 429 / 5xx / network errors (see `retryingFetch`); writes are never retried. */
  retry?: RetryOptions;
}

/** What one JSON-2 call sends besides its named arguments. */
export interface OdooCall {
  /** Records the method runs on (omitted for `@api.model` methods such as `search_read`). */
  ids?: number[];
  /** `context`, e.g. `{ active_test: false }` to see archived records too. */
  context?: Record<string, unknown>;
  [param: string]: unknown;
}

/** Methods that only read: safe to send again after a 429, 5xx or lost answer. */
const READ_METHODS = new Set(["search_read", "search", "read", "search_count", "fields_get", "name_search"]);

/**
 * A small typed client of Odoo's JSON-2 API (Odoo 19+; XML-RPC and JSON-RPC are being removed,
 * and Odoo publishes no JavaScript client): `POST /json/2/<model>/<method>` with a JSON object of
 * named arguments, `Authorization: bearer <key>`, and `X-Odoo-Database`. Success is a 200 with the
 * method's return value as JSON; failure a 4xx/5xx with `{ name, message, … }`, thrown as
 * `SyncError` (see `odooError`). Every call is its own transaction in Odoo. Read methods are
 * retried (429 with Retry-After, 5xx, network errors, bounded); write methods are sent once, since
 * JSON-2 has no idempotency key: callers make writes safe to retry themselves (lookup before create).
 */
export interface OdooClient {
  readonly baseUrl: string;
  call<T>(model: string, method: string, body: OdooCall, doing: string): Promise<T>;
}

/** Builds an `OdooClient`. Throws `SyncError` `invalid_base_url` on an address that is not http(s). */
export function createOdooClient(options: OdooClientOptions): OdooClient {
  let root: URL;
  try {
    root = new URL(options.baseUrl);
  } catch {
    root = new URL("invalid:");
  }
  if (root.protocol !== "http:" && root.protocol !== "https:") {
    throw new SyncError(
      "invalid_base_url",
      `The Odoo address must be an http(s) URL such as https://mycompany.odoo.com (${ODOO_URL_ENV} or --base-url), got ${JSON.stringify(options.baseUrl.slice(0, 80))}.`,
    );
  }
  const base = root.href.replace(/\/+$/, "");
  const send = retryingFetch({
    ...options.retry,
    replayable: (request) => READ_METHODS.has(request.url.split("/").at(-1) ?? ""),
  });
  const headers: Record<string, string> = {
    authorization: `bearer ${options.apiKey}`,
    "content-type": "application/json; charset=utf-8",
    "user-agent": "toolpacks-erp",
    ...(options.database ? { "x-odoo-database": options.database } : {}),
  };
  return {
    baseUrl: base,
    async call<T>(model: string, method: string, body: OdooCall, doing: string): Promise<T> {
      let response: Response;
      try {
        response = await send(`${base}/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
        });
      } catch (error) {
        const write = !READ_METHODS.has(method);
        throw new SyncError(
          "source_unavailable",
          `Odoo could not be reached while ${doing} (${error instanceof Error ? error.message : String(error)}).${write ? " Odoo may or may not have applied it; retry the call with the same idempotency key: the write looks up what it created before creating again." : ` Fix: check ${ODOO_URL_ENV} and the network, then run again.`}`,
          { cause: error },
        );
      }
      const text = await response.text();
      let json: unknown;
      try {
        json = text === "" ? null : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (response.status !== 200) {
        const body =
          typeof json === "object" && json !== null && typeof (json as OdooErrorBody).message === "string"
            ? (json as OdooErrorBody)
            : undefined;
        throw odooError(response.status, body, doing);
      }
      if (json === undefined) {
        throw new SyncError(
          "source_unavailable",
          `Odoo answered ${doing} with something that is not JSON (${text.slice(0, 60)}…). Fix: check that ${ODOO_URL_ENV} points at the Odoo server itself, not a login page or proxy.`,
        );
      }
      return json as T;
    },
  };
}

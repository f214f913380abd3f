import { AttemptTimeoutError, SyncError } from "@toolpacks/pack-kit";
import type { ApiError } from "./shapes.js";

/** The environment variable the HubSpot private-app access token is read from (and only from). */
export const HUBSPOT_TOKEN_ENV = "HUBSPOT_ACCESS_TOKEN";

/** What the official client throws for an HTTP error (`ApiException`): status, body, headers. */
export interface HubSpotHttpError {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

/** True for the client's `ApiException` (any module's: each codegen module has its own class). */
export function isHubSpotHttpError(error: unknown): error is HubSpotHttpError {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "number" &&
    typeof (error as { headers?: unknown }).headers === "object"
  );
}

/** HubSpot's error body when the answer carried one (`{ status, message, category, correlationId }`). */
export function errorBodyOf(error: HubSpotHttpError): Partial<ApiError> {
  const body = error.body;
  if (typeof body === "object" && body !== null) return body as Partial<ApiError>;
  if (typeof body === "string") {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed === "object" && parsed !== null) return parsed as Partial<ApiError>;
    } catch {
      return { message: body.slice(0, 300) };
    }
  }
  return {};
}

/** HubSpot's reason as one line: message, category and correlation id (for HubSpot support). */
export function reasonOf(error: HubSpotHttpError): string {
  const body = errorBodyOf(error);
  const details = (body.errors ?? [])
    .map((e) => e.message)
    .filter((m) => m && m !== body.message)
    .slice(0, 3);
  const message = [body.message ?? `HTTP ${error.code}`, ...details]
    .join("; ")
    .replaceAll(/pat-[\w-]+/g, "pat-…");
  const tags = [
    `HTTP ${error.code}`,
    body.category,
    body.correlationId ? `correlationId ${body.correlationId}` : undefined,
  ].filter(Boolean);
  return tags.length > 0 ? `${message} (${tags.join(", ")})` : message;
}

/**
 * A client error -> `SyncError` with a stable code and a message that says what to do: a 401
 * names `HUBSPOT_ACCESS_TOKEN` (never its value; `credential_expired` when HubSpot says the token
 * expired); a 403 names the missing scopes; a 429 or 5xx that outlasted the retries, a network
 * error or a timeout says so; any other refusal (`source_refused`) carries HubSpot's message,
 * category and correlationId. Anything else is returned as is.
 */
export function hubspotError(error: unknown, doing: string): unknown {
  if (error instanceof SyncError) return error;
  if (error instanceof AttemptTimeoutError || error instanceof TypeError) {
    return new SyncError(
      "source_unavailable",
      `HubSpot could not be reached or did not answer while ${doing} (${error.message}). Fix: check the network and https://status.hubspot.com, then run again; committed pages are kept and it resumes from them.`,
      { cause: error },
    );
  }
  if (!isHubSpotHttpError(error)) return error;
  const status = error.code;
  const body = errorBodyOf(error);
  const reason = reasonOf(error);
  const options = { status, cause: error };
  if (status === 401) {
    const expired = body.category === "EXPIRED_AUTHENTICATION" || /expired/i.test(body.message ?? "");
    return new SyncError(
      expired ? "credential_expired" : "credential_rejected",
      `HubSpot refused the access token in ${HUBSPOT_TOKEN_ENV} while ${doing}: ${reason}. Fix: ${expired ? "get a new token" : "check the token"} (Settings > Integrations > Private Apps > your app > Access token) and set it in ${HUBSPOT_TOKEN_ENV}; nothing else was changed.`,
      options,
    );
  }
  if (status === 403) {
    return new SyncError(
      "credential_rejected",
      `The token in ${HUBSPOT_TOKEN_ENV} may not do this while ${doing}: ${reason}. Fix: give the private app the scopes crm.objects.companies.read, crm.objects.contacts.read, crm.objects.deals.read, crm.objects.line_items.read, crm.objects.owners.read (and crm.objects.deals.write, crm.objects.contacts.write for write-back).`,
      options,
    );
  }
  if (status === 429) {
    return new SyncError(
      "rate_limited",
      `HubSpot kept answering 429 (rate limited: ${reason}) while ${doing}, after every retry. Fix: run the sync again later; committed pages are kept and it resumes from them.`,
      options,
    );
  }
  if (status >= 500) {
    return new SyncError(
      "source_unavailable",
      `HubSpot kept failing while ${doing} (${reason}). Fix: check https://status.hubspot.com, then run again; committed pages are kept and it resumes from them.`,
      options,
    );
  }
  return new SyncError("source_refused", `HubSpot refused ${doing}: ${reason}.`, options);
}

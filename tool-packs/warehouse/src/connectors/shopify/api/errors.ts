import { SyncError } from "@toolpacks/pack-kit";
import type { ApiGraphqlError } from "./shapes.js";

/** The environment variable the Admin API access token is read from (and only from). */
export const SHOPIFY_TOKEN_ENV = "SHOPIFY_ACCESS_TOKEN";
/** The environment variable naming the shop, `your-shop.myshopify.com`. */
export const SHOPIFY_STORE_ENV = "SHOPIFY_STORE_DOMAIN";

/** What the Admin API client answered when a request failed (its `errors` object). */
export interface ClientErrors {
  networkStatusCode?: number;
  message?: string;
  graphQLErrors?: ApiGraphqlError[];
}

const redact = (text: string) => text.replaceAll(/shp(at|ca|pa|ss)_\w+/g, "shp…");

/**
 * A failed Admin API answer -> `SyncError` with a stable code and a message saying what to do:
 * 401 names `SHOPIFY_ACCESS_TOKEN` (never its value), 403 the missing access scopes, a 429 or 5xx
 * that outlasted the retries says so, a network failure or timeout is `source_unavailable`, and
 * GraphQL errors carry Shopify's own messages (`source_refused`).
 */
export function shopifyError(errors: ClientErrors, doing: string): SyncError {
  const status = errors.networkStatusCode;
  const options = status === undefined ? {} : { status };
  const graphql = (errors.graphQLErrors ?? []).map((e) => e.message).join("; ");
  const reason = redact(graphql || errors.message || "no reason given");
  if (status === 401) {
    return new SyncError(
      "credential_rejected",
      `Shopify refused the access token while ${doing} (401 Unauthorized). Fix: check the Admin API access token of your custom app (Settings > Apps and sales channels > Develop apps > API credentials) and set it in ${SHOPIFY_TOKEN_ENV}, and that ${SHOPIFY_STORE_ENV} names its shop; nothing was changed.`,
      options,
    );
  }
  if (status === 403) {
    return new SyncError(
      "credential_rejected",
      `The token in ${SHOPIFY_TOKEN_ENV} may not do this while ${doing} (403): ${reason} Fix: give the app the read_products, read_inventory and read_locations scopes (and write_inventory for write-back), then reinstall it.`,
      options,
    );
  }
  if (status === 429) {
    return new SyncError(
      "rate_limited",
      `Shopify kept answering 429 (rate limited) while ${doing}, after every retry. Fix: run the sync again later; committed pages are kept and it resumes from them.`,
      options,
    );
  }
  if (status === undefined || status >= 500) {
    return new SyncError(
      "source_unavailable",
      `Shopify could not be reached or kept failing while ${doing} (${reason}). Fix: check the network and https://www.shopifystatus.com, then run again; committed pages are kept and it resumes from them.`,
      options,
    );
  }
  return new SyncError("source_refused", `Shopify refused ${doing}: ${reason}`, options);
}

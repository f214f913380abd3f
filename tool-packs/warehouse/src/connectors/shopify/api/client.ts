import { createAdminApiClient } from "@shopify/admin-api-client";
import { type RetryOptions, retryingFetch, SyncError } from "@toolpacks/pack-kit";
import { type ClientErrors, shopifyError } from "./errors.js";
import type { ApiCost } from "./shapes.js";

/** The Admin API version the connector is written against (idempotent inventory mutations). */
export const SHOPIFY_API_VERSION = "2026-10";

/** How to reach a shop's Admin GraphQL API. */
export interface ShopifyClientOptions {
  /** `your-shop.myshopify.com`, read from `SHOPIFY_STORE_DOMAIN` by the CLI. */
  storeDomain: string;
  /** The Admin API access token, read from `SHOPIFY_ACCESS_TOKEN` by the CLI. */
  accessToken: string;
  /** Another API address (a local fake, a proxy): `http://127.0.0.1:8080`. Default the shop's. */
  baseUrl?: string | undefined;
  /** Retries of 429 / 5xx / network errors (see `retryingFetch`). */
  retry?: RetryOptions;
  /** Most waits for a THROTTLED answer's bucket to refill before giving up. Default 10. */
  maxThrottleWaits?: number;
}

/** A GraphQL call that answers `data` or throws `SyncError`. */
export interface ShopifyGraphql {
  request<T>(query: string, variables: Record<string, unknown>, doing: string): Promise<T>;
  /** GETs a bulk operation's result file (a signed URL outside the Admin API), with retries. */
  download(url: string, signal?: AbortSignal): Promise<Response>;
}

/**
 * Whether a GraphQL request body is safe to send twice: a query, or a mutation carrying Shopify's
 * `@idempotent(key:)` (Shopify applies it once). A plain mutation is not.
 */
export function replayableGraphql(body: string): boolean {
  let query = "";
  try {
    query = String((JSON.parse(body) as { query?: unknown }).query ?? "");
  } catch {
    return false;
  }
  return !/^\s*mutation\b/.test(query) || /@idempotent\s*\(/.test(query);
}

/**
 * Shopify's Admin API as the sync uses it: the official `@shopify/admin-api-client` (its own
 * retries off) over `retryingFetch`, which retries 429 / 5xx / network failures of queries and
 * of idempotent mutations only (a plain mutation is sent once). A `THROTTLED` answer (HTTP 200,
 * `errors[].extensions.code`) waits until the cost bucket holds the query's cost, as
 * `extensions.cost.throttleStatus` tells, then asks again. `baseUrl` replaces the shop's
 * address in every request. Throws `SyncError` `invalid_base_url` / `invalid_store_domain`.
 */
export function createShopifyGraphql(options: ShopifyClientOptions): ShopifyGraphql {
  const base = options.baseUrl === undefined ? undefined : checkedBaseUrl(options.baseUrl);
  const domain = options.storeDomain
    .trim()
    .replace(/^https?:\/\//, "")
    .replace(/\/+$/, "");
  if (!/^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$/i.test(domain)) {
    throw new SyncError(
      "invalid_store_domain",
      `SHOPIFY_STORE_DOMAIN must be the shop's domain such as your-shop.myshopify.com, got ${JSON.stringify(options.storeDomain.slice(0, 80))}.`,
    );
  }
  const sleep =
    options.retry?.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Every Admin API request is a POST: the body tells whether it may be repeated.
  const replaying = retryingFetch({ ...options.retry, replayable: () => true });
  const once = retryingFetch({ ...options.retry, replayable: () => false });
  const transport = retryingFetch({ ...options.retry });
  const rewrite = (url: string) => (base ? `${base}${new URL(url).pathname}${new URL(url).search}` : url);
  const client = createAdminApiClient({
    storeDomain: domain,
    apiVersion: SHOPIFY_API_VERSION,
    accessToken: options.accessToken,
    userAgentPrefix: "toolpacks-warehouse",
    customFetchApi: (url, init) => {
      const body = typeof init?.body === "string" ? init.body : "";
      return (replayableGraphql(body) ? replaying : once)(rewrite(String(url)), init as RequestInit);
    },
  });
  const maxWaits = options.maxThrottleWaits ?? 10;
  return {
    async request<T>(query: string, variables: Record<string, unknown>, doing: string): Promise<T> {
      for (let waits = 0; ; waits++) {
        const answer = await client.request(query, { variables });
        const errors = answer.errors as ClientErrors | undefined;
        const throttled = errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED");
        if (throttled && waits < maxWaits) {
          await sleep(refillMs(answer.extensions?.["cost"] as ApiCost | undefined));
          continue;
        }
        if (throttled) {
          throw new SyncError(
            "rate_limited",
            `Shopify kept answering THROTTLED while ${doing}, after ${maxWaits} waits for the cost bucket to refill. Fix: run again later, or when fewer apps share the shop's API budget; committed pages are kept.`,
          );
        }
        if (errors) throw shopifyError(errors, doing);
        if (answer.data === undefined) throw shopifyError({ message: "no data in the answer" }, doing);
        return answer.data as T;
      }
    },
    download: (url, signal) => transport(url, signal ? { signal } : {}),
  };
}

/** How long until the bucket holds the requested cost (at least 1 s, Shopify's restore step). */
function refillMs(cost: ApiCost | undefined): number {
  if (!cost) return 1000;
  const { currentlyAvailable, restoreRate } = cost.throttleStatus;
  const missing = cost.requestedQueryCost - currentlyAvailable;
  if (restoreRate <= 0 || missing <= 0) return 1000;
  return Math.max(1000, Math.ceil((missing / restoreRate) * 1000));
}

function checkedBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SyncError(
      "invalid_base_url",
      `--base-url must be an http(s) address such as http://127.0.0.1:8080, got ${JSON.stringify(text.slice(0, 80))}.`,
    );
  }
  return url.origin;
}
